package dev.recstage.tools.generate;

import java.util.BitSet;
import java.util.SplittableRandom;

/**
 * The themes items are about. Each topic prefers its own few hundred mid-frequency words (its
 * jargon, the first of which serve as its tags), a handful of Chinese characters, and one
 * category; topics themselves differ in size (Zipf over topics).
 */
final class Topics {
    /** Words a topic prefers; its first {@link #TAG_WORDS} are its tag vocabulary. */
    static final int WORDS_PER_TOPIC = 300;
    static final int TAG_WORDS = 30;
    static final int HANZI_PER_TOPIC = 16;
    /** The most frequent words are shared by every topic (function words), so jargon comes after them. */
    private static final int SHARED_HEAD = 200;

    /** 500 common characters; each topic takes a few as its own. */
    static final String COMMON_HANZI = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说"
            + "产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开"
            + "它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结"
            + "解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山"
            + "统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器"
            + "压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报"
            + "斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际"
            + "商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快"
            + "效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严龙飞";

    private static final String[] CATEGORIES = {"Agriculture", "Climate", "Culture", "Demographics", "Economy",
        "Education", "Energy", "Environment", "Finance", "Geography", "Government", "Health", "Housing",
        "Industry", "Justice", "Labour", "Mobility", "Oceans", "Science", "Security", "Society", "Sport",
        "Technology", "Tourism", "Transport", "Urban planning", "Water", "Weather"};

    private final Vocabulary vocabulary;
    private final int[][] wordRanks;
    private final char[][] hanzi;
    private final ZipfSampler topicSizes;
    /** Flatter than the whole vocabulary: a topic's jargon is spread over many words. */
    private final ZipfSampler topicWords = new ZipfSampler(WORDS_PER_TOPIC, 0.7);

    Topics(int count, Vocabulary vocabulary, SplittableRandom rng) {
        this.vocabulary = vocabulary;
        this.wordRanks = new int[count][];
        this.hanzi = new char[count][];
        for (int t = 0; t < count; t++) {
            wordRanks[t] = distinct(rng, WORDS_PER_TOPIC, SHARED_HEAD, vocabulary.size());
            int[] chars = distinct(rng, HANZI_PER_TOPIC, 0, COMMON_HANZI.length());
            hanzi[t] = new char[chars.length];
            for (int c = 0; c < chars.length; c++) {
                hanzi[t][c] = COMMON_HANZI.charAt(chars[c]);
            }
        }
        topicSizes = new ZipfSampler(count, 0.8);
    }

    /** How many topics suit a catalogue of {@code items}: a few for tiny ones, a hundred for large ones. */
    static int countFor(int items) {
        return Math.max(4, Math.min(100, (int) StrictMath.sqrt(items) / 3));
    }

    int count() {
        return wordRanks.length;
    }

    /** A topic drawn by its size: some topics hold many more items than others. */
    int draw(SplittableRandom rng) {
        return topicSizes.sample(rng);
    }

    /** One of the topic's preferred words, frequent ones more often. */
    String word(int topic, SplittableRandom rng) {
        return vocabulary.word(wordRanks[topic][topicWords.sample(rng)]);
    }

    String tagWord(int topic, SplittableRandom rng) {
        return vocabulary.word(wordRanks[topic][rng.nextInt(TAG_WORDS)]);
    }

    /** A character of the topic's own set, or now and then any common one. */
    char hanzi(int topic, SplittableRandom rng) {
        if (Draws.chance(rng, 0.3)) {
            return COMMON_HANZI.charAt(rng.nextInt(COMMON_HANZI.length()));
        }
        return hanzi[topic][rng.nextInt(HANZI_PER_TOPIC)];
    }

    String category(int topic) {
        return CATEGORIES[topic % CATEGORIES.length];
    }

    Vocabulary vocabulary() {
        return vocabulary;
    }

    /** {@code count} distinct values of [from, to), in draw order. */
    private static int[] distinct(SplittableRandom rng, int count, int from, int to) {
        int[] values = new int[count];
        BitSet taken = new BitSet(to);
        for (int i = 0; i < count; i++) {
            int value;
            do {
                value = from + rng.nextInt(to - from);
            } while (taken.get(value));
            taken.set(value);
            values[i] = value;
        }
        return values;
    }
}
