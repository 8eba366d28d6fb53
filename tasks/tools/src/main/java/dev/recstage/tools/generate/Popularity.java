package dev.recstage.tools.generate;

import java.util.SplittableRandom;

/**
 * Which items users pick: popularity is skewed (Zipf over a random order of the items), both over
 * the whole catalogue and within each topic.
 */
final class Popularity {
    private static final double EXPONENT = 1.0;

    private final int[] ranked;
    private final ZipfSampler overall;
    private final int[][] rankedByTopic;
    private final ZipfSampler[] byTopic;

    Popularity(ItemCatalog items, int topicCount, SplittableRandom rng) {
        int n = items.size();
        ranked = shuffledRange(n, rng);
        overall = new ZipfSampler(n, EXPONENT);
        int[] sizes = new int[topicCount];
        for (int topic : items.topic()) {
            sizes[topic]++;
        }
        rankedByTopic = new int[topicCount][];
        byTopic = new ZipfSampler[topicCount];
        for (int t = 0; t < topicCount; t++) {
            rankedByTopic[t] = new int[sizes[t]];
            byTopic[t] = sizes[t] == 0 ? null : new ZipfSampler(sizes[t], EXPONENT);
        }
        int[] filled = new int[topicCount];
        for (int rank = 0; rank < n; rank++) {
            int item = ranked[rank];
            int topic = items.topic()[item];
            rankedByTopic[topic][filled[topic]++] = item;
        }
    }

    int any(SplittableRandom rng) {
        return ranked[overall.sample(rng)];
    }

    /** An item of {@code topic} (a topic some item has). */
    int inTopic(int topic, SplittableRandom rng) {
        return rankedByTopic[topic][byTopic[topic].sample(rng)];
    }

    private static int[] shuffledRange(int n, SplittableRandom rng) {
        int[] values = new int[n];
        for (int i = 0; i < n; i++) {
            values[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int swap = values[i];
            values[i] = values[j];
            values[j] = swap;
        }
        return values;
    }
}
