package dev.recstage.tools.generate;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Title, description and tags of one item, written in its topic's words: English-like titles of
 * 3–8 words or (one in five) Chinese ones, descriptions of 20–60 words in sentences with the
 * punctuation, quotes and paragraph breaks that make CSV quoting necessary.
 */
final class ItemText {
    static final double CHINESE_TITLE_SHARE = 0.2;
    /** Share of a description's words taken from its topic; the rest follow the whole vocabulary. */
    private static final double TOPIC_WORD_SHARE = 0.45;
    private static final double TITLE_TOPIC_WORD_SHARE = 0.6;
    /** Share of a variant's description words drawn anew. */
    private static final double VARIANT_REWRITE_SHARE = 0.15;

    record Text(String title, String description, String tags, boolean chineseTitle) {
    }

    private final Topics topics;

    ItemText(Topics topics) {
        this.topics = topics;
    }

    Text create(int topic, SplittableRandom rng) {
        boolean chinese = Draws.chance(rng, CHINESE_TITLE_SHARE);
        String title = chinese ? chineseTitle(topic, rng) : title(topic, rng);
        return new Text(title, description(topic, rng), tags(topic, rng), chinese);
    }

    /**
     * Another edition of {@code source} (next year's release of the same data set): same tags,
     * the title with a year, most of the description kept. These are the near-duplicates that
     * similarity must find.
     */
    Text variantOf(Text source, int topic, SplittableRandom rng) {
        int year = Draws.between(rng, 2010, 2024);
        String title = source.chineseTitle() ? source.title() + year + "年" : source.title() + " " + year;
        StringBuilder description = new StringBuilder(source.description().length() + 16);
        for (String token : source.description().split(" ", -1)) {
            if (description.length() > 0) {
                description.append(' ');
            }
            boolean plainWord = !token.isEmpty() && token.chars().allMatch(c -> c >= 'a' && c <= 'z');
            description.append(plainWord && Draws.chance(rng, VARIANT_REWRITE_SHARE) ? descriptionWord(topic, rng) : token);
        }
        return new Text(title, description.toString(), source.tags(), source.chineseTitle());
    }

    private String title(int topic, SplittableRandom rng) {
        int words = Draws.between(rng, 3, 8);
        StringBuilder title = new StringBuilder();
        for (int w = 0; w < words; w++) {
            String word = Draws.chance(rng, TITLE_TOPIC_WORD_SHARE) ? topics.word(topic, rng) : topics.vocabulary().draw(rng);
            if (w > 0) {
                title.append(' ');
            }
            title.append(Character.toUpperCase(word.charAt(0))).append(word, 1, word.length());
        }
        return title.toString();
    }

    /** Chinese is written without spaces: 3–8 words of two characters each. */
    private String chineseTitle(int topic, SplittableRandom rng) {
        int words = Draws.between(rng, 3, 8);
        StringBuilder title = new StringBuilder();
        for (int c = 0; c < 2 * words; c++) {
            title.append(topics.hanzi(topic, rng));
        }
        return title.toString();
    }

    private String description(int topic, SplittableRandom rng) {
        int words = Draws.between(rng, 20, 60);
        StringBuilder text = new StringBuilder(words * 8);
        int sentenceLeft = 0;
        for (int w = 0; w < words; w++) {
            String word = descriptionWord(topic, rng);
            if (sentenceLeft == 0) {
                if (w > 0) {
                    text.append(Draws.chance(rng, 0.05) ? "\n" : " ");
                }
                sentenceLeft = Draws.between(rng, 5, 14);
                if (words - w - sentenceLeft < 5) {
                    sentenceLeft = words - w; // no stub of a sentence at the end
                }
                word = Character.toUpperCase(word.charAt(0)) + word.substring(1);
            } else {
                text.append(' ');
            }
            text.append(Draws.chance(rng, 0.02) ? '"' + word + '"' : word);
            sentenceLeft--;
            text.append(sentenceLeft == 0 ? "." : Draws.chance(rng, 0.06) ? "," : "");
        }
        return text.toString();
    }

    private String descriptionWord(int topic, SplittableRandom rng) {
        return Draws.chance(rng, TOPIC_WORD_SHARE) ? topics.word(topic, rng) : topics.vocabulary().draw(rng);
    }

    /** 1–5 distinct tags from the topic's tag words (now and then any word); a few items have none. */
    private String tags(int topic, SplittableRandom rng) {
        if (Draws.chance(rng, 0.03)) {
            return "";
        }
        int count = Draws.between(rng, 1, 5);
        Set<String> tags = new LinkedHashSet<>();
        for (int t = 0; t < count; t++) {
            tags.add(Draws.chance(rng, 0.1) ? topics.vocabulary().draw(rng) : topics.tagWord(topic, rng));
        }
        return String.join("|", tags);
    }
}
