package dev.recstage.tools.generate;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Pronounceable made-up words ranked by frequency and drawn with Zipf's law (exponent 1.1, as in
 * natural text). Frequent words are short, rare ones long, like real vocabularies.
 */
final class Vocabulary {
    static final double ZIPF_EXPONENT = 1.1;

    private static final String[] ONSETS = {"b", "c", "d", "f", "g", "h", "j", "k", "l", "m", "n", "p", "r", "s",
        "t", "v", "w", "z", "br", "ch", "cl", "dr", "fr", "gr", "pl", "pr", "sh", "st", "th", "tr"};
    private static final String[] VOWELS = {"a", "e", "i", "o", "u", "ai", "ea", "ou", "io"};
    private static final String[] CODAS = {"", "", "", "n", "r", "s", "l", "m", "st", "nd"};

    private final String[] words;
    private final ZipfSampler frequency;

    Vocabulary(int size, SplittableRandom rng) {
        words = new String[size];
        Set<String> taken = new HashSet<>();
        for (int rank = 0; rank < size; rank++) {
            int syllables = rank < 60 ? 1 : rank < 3000 ? 2 : 3;
            String word;
            int attempts = 0;
            do {
                // Rare collisions among the short words: allow one more syllable after a few tries.
                word = word(rng, syllables + attempts++ / 8);
            } while (!taken.add(word));
            words[rank] = word;
        }
        frequency = new ZipfSampler(size, ZIPF_EXPONENT);
    }

    private static String word(SplittableRandom rng, int syllables) {
        StringBuilder text = new StringBuilder();
        for (int s = 0; s < syllables; s++) {
            text.append(ONSETS[rng.nextInt(ONSETS.length)]).append(VOWELS[rng.nextInt(VOWELS.length)]);
            text.append(CODAS[rng.nextInt(CODAS.length)]);
        }
        return text.toString();
    }

    int size() {
        return words.length;
    }

    String word(int rank) {
        return words[rank];
    }

    /** A word drawn with its Zipf frequency. */
    String draw(SplittableRandom rng) {
        return words[frequency.sample(rng)];
    }
}
