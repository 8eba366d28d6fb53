package dev.recstage.core.engine;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The expected output computed the obvious way: every pair of dense rows compared column by
 * column, every candidate kept, sorted, cut at K. Written independently of the engine's code;
 * only the definitions (canonical dot, measures, order) are shared.
 */
final class BruteForceOracle {

    private BruteForceOracle() {
    }

    private record Candidate(int j, float score) {
    }

    /** Higher score first (-0.0 equal to 0.0, as primitive comparison does), then smaller index. */
    private static final Comparator<Candidate> ORDER = (x, y) -> {
        if (x.score() != y.score()) {
            return x.score() > y.score() ? -1 : 1;
        }
        return Integer.compare(x.j(), y.j());
    };

    static List<String> topK(float[][] dense, PairScorer scorer, int k, int from, int to) {
        List<String> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            List<Candidate> candidates = new ArrayList<>();
            for (int j = 0; j < dense.length; j++) {
                if (j == i) {
                    continue;
                }
                int common = 0;
                double sum = 0;
                for (int c = 0; c < dense[i].length; c++) {
                    if (dense[i][c] != 0f && dense[j][c] != 0f) {
                        common++;
                        sum += (double) dense[i][c] * dense[j][c];
                    }
                }
                if (common >= 1 && common >= scorer.minCommon()) {
                    candidates.add(new Candidate(j, score(scorer.measure(), nonZeros(dense[i]), nonZeros(dense[j]), sum, common)));
                }
            }
            candidates.sort(ORDER);
            List<Candidate> kept = candidates.subList(0, Math.min(k, candidates.size()));
            int[] neighbors = kept.stream().mapToInt(Candidate::j).toArray();
            float[] scores = new float[kept.size()];
            for (int r = 0; r < scores.length; r++) {
                scores[r] = kept.get(r).score();
            }
            out.add(Output.line(i, neighbors, scores, kept.size()));
        }
        return out;
    }

    private static float score(PairScorer.Measure measure, int nnzI, int nnzJ, double sum, int common) {
        switch (measure) {
            case DOT:
                return (float) sum;
            case COUNT:
                return common;
            case JACCARD:
                return (float) ((double) common / (nnzI + nnzJ - common));
            default:
                throw new AssertionError(measure);
        }
    }

    private static int nonZeros(float[] row) {
        int n = 0;
        for (float v : row) {
            n += v != 0f ? 1 : 0;
        }
        return n;
    }
}
