package dev.recstage.behavior;

import dev.recstage.core.history.Aggregation;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The stage's result computed the obvious way, independently of its code: the dense items ×
 * users weight matrix B in double, then every pair's score from whole columns, then a sort.
 */
final class BruteForceBehavior {
    /** One expected neighbour. */
    record Neighbor(int item, double score) {
    }

    private BruteForceBehavior() {
    }

    /**
     * @param eventWeights weight per event code, or null for the rows' weights
     */
    static double[][] weights(FeaturesFixture data, float[] eventWeights, double halfLifeDays, int cap, Aggregation aggregation) {
        return reduce(data, eventWeights, halfLifeDays, cap, aggregation, new long[2]);
    }

    /** {users with more distinct items than the cap, their events on the items beyond it}. */
    static long[] capStats(FeaturesFixture data, float[] eventWeights, double halfLifeDays, int cap) {
        long[] stats = new long[2];
        reduce(data, eventWeights, halfLifeDays, cap, Aggregation.MAX, stats);
        return stats;
    }

    private static double[][] reduce(FeaturesFixture data, float[] eventWeights, double halfLifeDays, int cap,
                                     Aggregation aggregation, long[] capStats) {
        double[][] b = new double[data.items][data.users];
        Map<Integer, List<Integer>> rowsByUser = new HashMap<>();
        for (int r = 0; r < data.events.size(); r++) {
            rowsByUser.computeIfAbsent(data.events.get(r).user(), u -> new ArrayList<>()).add(r);
        }
        for (Map.Entry<Integer, List<Integer>> entry : rowsByUser.entrySet()) {
            int user = entry.getKey();
            Map<Integer, Integer> latestRow = new HashMap<>();
            Map<Integer, List<Double>> weightsByItem = new HashMap<>();
            for (int r : entry.getValue()) {
                FeaturesInputEvent e = new FeaturesInputEvent(data.events.get(r));
                double w = e.weight(eventWeights, halfLifeDays, data.asOf);
                if (w > 0) {
                    latestRow.merge(e.item(), r, Math::max);
                    weightsByItem.computeIfAbsent(e.item(), i -> new ArrayList<>()).add(w);
                }
            }
            if (latestRow.size() > cap) {
                capStats[0]++;
            }
            List<Integer> kept = latestRow.entrySet().stream()
                    .sorted(Map.Entry.<Integer, Integer>comparingByValue().reversed())
                    .limit(cap).map(Map.Entry::getKey).toList();
            for (Map.Entry<Integer, List<Double>> item : weightsByItem.entrySet()) {
                capStats[1] += kept.contains(item.getKey()) ? 0 : item.getValue().size();
            }
            for (int item : kept) {
                List<Double> ws = weightsByItem.get(item);
                b[item][user] = aggregation == Aggregation.MAX
                        ? ws.stream().mapToDouble(Double::doubleValue).max().orElseThrow()
                        : ws.stream().mapToDouble(Double::doubleValue).sum();
            }
        }
        return b;
    }

    /** Expected neighbours of every item, best first, ties by smaller index. */
    static List<List<Neighbor>> neighbors(double[][] b, Metric metric, int minCooccurrence, int k) {
        int n = b.length;
        List<List<Neighbor>> result = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            List<Neighbor> candidates = new ArrayList<>();
            for (int j = 0; j < n; j++) {
                int common = 0;
                int usersI = 0;
                int usersJ = 0;
                double dot = 0;
                double normI = 0;
                double normJ = 0;
                for (int u = 0; u < b[i].length; u++) {
                    common += b[i][u] > 0 && b[j][u] > 0 ? 1 : 0;
                    usersI += b[i][u] > 0 ? 1 : 0;
                    usersJ += b[j][u] > 0 ? 1 : 0;
                    dot += b[i][u] * b[j][u];
                    normI += b[i][u] * b[i][u];
                    normJ += b[j][u] * b[j][u];
                }
                if (j == i || common < Math.max(1, minCooccurrence)) {
                    continue;
                }
                double score = switch (metric) {
                    case COSINE -> dot / Math.sqrt(normI * normJ);
                    case COUNT -> common;
                    case JACCARD -> (double) common / (usersI + usersJ - common);
                };
                candidates.add(new Neighbor(j, score));
            }
            candidates.sort(Comparator.comparingDouble(Neighbor::score).reversed().thenComparingInt(Neighbor::item));
            result.add(candidates.subList(0, Math.min(k, candidates.size())));
        }
        return result;
    }

    /** An event's weight by the definition: base weight times 2^(-age / half-life). */
    private record FeaturesInputEvent(FeaturesFixture.Event event) {
        int item() {
            return event.item();
        }

        double weight(float[] eventWeights, double halfLifeDays, long asOf) {
            double base = eventWeights == null ? event.weight() : eventWeights[event.event()];
            if (halfLifeDays == 0) {
                return base;
            }
            double ageDays = Math.max(0, asOf - event.epochSeconds()) / 86_400.0;
            return base * Math.pow(2, -ageDays / halfLifeDays);
        }
    }
}
