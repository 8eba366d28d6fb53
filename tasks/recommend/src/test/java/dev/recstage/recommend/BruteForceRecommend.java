package dev.recstage.recommend;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The recommend outputs written from their definition (README, "recommend"), in double precision
 * with plain loops over all items: nothing of the stage's merging, scatter, heaps or blocks.
 */
final class BruteForceRecommend {
    /** One row of an output list. {@code because} is -1 and {@code popular} true for a popularity row. */
    record Entry(int item, float score, int because, String source, boolean popular) {
    }

    private final RecommendCase input;

    BruteForceRecommend(RecommendCase input) {
        this.input = input;
    }

    /** A source's scaled score of (i, j): raw over the row's top raw score; 0 when j is not listed. */
    private static double scaled(float[][] raw, int i, int j) {
        double top = 0;
        for (float s : raw[i]) {
            top = Math.max(top, s);
        }
        return raw[i][j] > 0 ? raw[i][j] / top : 0;
    }

    /** Blended similarity; a source whose weight is 0 counts as absent. */
    double sim(int i, int j) {
        double b = input.weights().behavior() > 0 ? scaled(input.behavior(), i, j) : 0;
        double c = input.weights().content() > 0 ? scaled(input.content(), i, j) : 0;
        return input.weights().behavior() * b + input.weights().content() * c;
    }

    private String source(int i, int j) {
        boolean b = input.weights().behavior() > 0 && input.behavior()[i][j] > 0;
        boolean c = input.weights().content() > 0 && input.content()[i][j] > 0;
        return b && c ? "both" : b ? "behavior" : "content";
    }

    List<Entry> related(int i) {
        List<Entry> all = new ArrayList<>();
        for (int j = 0; j < input.items(); j++) {
            double s = sim(i, j);
            if (j != i && s > 0) {
                all.add(new Entry(j, (float) s, -1, source(i, j), false));
            }
        }
        return best(all, input.relatedTopN());
    }

    List<Entry> recommendations(RecommendCase.User user) {
        int n = input.items();
        TreeSet<Integer> seen = user.seen();
        List<Entry> all = new ArrayList<>();
        for (int j = 0; j < n; j++) {
            double sum = 0;
            double bestTerm = 0;
            int because = -1;
            for (Map.Entry<Integer, Float> h : user.history().entrySet()) {
                double term = h.getValue() * sim(h.getKey(), j);
                sum += term;
                if (term > bestTerm) { // history ascending: equal terms keep the smaller item
                    bestTerm = term;
                    because = h.getKey();
                }
            }
            if ((float) sum > 0 && (input.includeSeen() || !seen.contains(j))) {
                all.add(new Entry(j, (float) sum, because, null, false));
            }
        }
        if (!all.isEmpty()) {
            return best(all, input.userTopN());
        }
        List<Entry> popular = new ArrayList<>();
        for (int j = 0; j < n; j++) {
            if (input.includeSeen() || !seen.contains(j)) {
                popular.add(new Entry(j, input.popularity()[j], -1, null, true));
            }
        }
        return best(popular, input.userTopN());
    }

    private static List<Entry> best(List<Entry> all, int n) {
        all.sort(Comparator.comparingDouble((Entry e) -> -e.score()).thenComparingInt(Entry::item));
        return new ArrayList<>(all.subList(0, Math.min(n, all.size())));
    }
}
