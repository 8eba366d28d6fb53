package dev.recstage.recommend;

import dev.recstage.core.arrow.NeighborsWriter;
import dev.recstage.core.history.Aggregation;
import dev.recstage.core.history.UserHistory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VarCharVector;

/**
 * A small random input of the recommend computation: raw neighbour scores of both sources (0 =
 * not a neighbour), users' histories and seen items, popularity counts. {@code exact} draws only
 * small dyadic numbers (every row's top score 8), so that every sum is exact in float and double
 * and ties are frequent: the oracle must then agree to the bit, order and ties included.
 */
record RecommendCase(int items, float[][] behavior, float[][] content, BlendWeights weights, List<User> users,
                     long[] popularity, int relatedTopN, int userTopN, boolean includeSeen) {

    /** A user's history (item → affinity, above 0) and the items seen without weight. */
    record User(int user, TreeMap<Integer, Float> history, TreeSet<Integer> ignored) {
        TreeSet<Integer> seen() {
            TreeSet<Integer> seen = new TreeSet<>(history.keySet());
            seen.addAll(ignored);
            return seen;
        }
    }

    static RecommendCase random(long seed, boolean exact) {
        Random random = new Random(seed);
        int items = 2 + random.nextInt(25);
        int longest = 1 + random.nextInt(8);
        float[][] behavior = lists(random, items, longest, exact, random.nextInt(4) == 0 ? 0.6 : 0.0);
        float[][] content = lists(random, items, longest, exact, 0.0);
        double[] choices = {0, 0.25, 0.5, 1};
        double wb = choices[random.nextInt(4)];
        double wc = wb == 0 ? choices[1 + random.nextInt(3)] : choices[random.nextInt(4)];
        if (!exact) {
            wb = wb == 0 ? 0 : random.nextDouble() + 0.01;
            wc = wc == 0 ? 0 : random.nextDouble() + 0.01;
        }
        List<User> users = new ArrayList<>();
        int userCount = random.nextInt(12);
        float[] affinities = {0.5f, 1, 2, 3};
        for (int u = 0; u < userCount; u++) {
            TreeMap<Integer, Float> history = new TreeMap<>();
            TreeSet<Integer> ignored = new TreeSet<>();
            int size = random.nextInt(Math.min(items, 6) + 1);
            for (int h = 0; h < size; h++) {
                history.put(random.nextInt(items), exact ? affinities[random.nextInt(4)] : 0.01f + 5 * random.nextFloat());
            }
            for (int s = random.nextInt(3); s > 0; s--) {
                int item = random.nextInt(items);
                if (!history.containsKey(item)) {
                    ignored.add(item);
                }
            }
            if (history.isEmpty() && ignored.isEmpty()) {
                ignored.add(random.nextInt(items)); // every user of the features has at least one event
            }
            users.add(new User(u, history, ignored));
        }
        long[] popularity = new long[items];
        for (int i = 0; i < items; i++) {
            popularity[i] = random.nextInt(4);
        }
        return new RecommendCase(items, behavior, content, new BlendWeights(wb, wc), users, popularity,
                1 + random.nextInt(6), 1 + random.nextInt(6), random.nextInt(3) == 0);
    }

    /** Per item up to {@code longest} distinct other items; {@code emptyShare} of the items get none (new items). */
    private static float[][] lists(Random random, int items, int longest, boolean exact, double emptyShare) {
        float[][] scores = new float[items][items];
        for (int i = 0; i < items; i++) {
            if (random.nextDouble() < emptyShare) {
                continue;
            }
            int size = random.nextInt(Math.min(longest, items - 1) + 1);
            for (int n = 0; n < size; n++) {
                int j = random.nextInt(items);
                if (j != i) {
                    scores[i][j] = exact ? 1 + random.nextInt(8) : 0.001f + 10 * random.nextFloat();
                }
            }
            if (exact) {
                for (int j = 0; j < items; j++) {
                    if (scores[i][j] > 0) {
                        scores[i][j] = 8; // the row's top score: scaling divides by 8, exactly
                        break;
                    }
                }
            }
        }
        return scores;
    }

    /** The raw lists written as a neighbours file (ordered by item then rank). */
    static Path toFile(float[][] scores, Path file) {
        int items = scores.length;
        try (BufferAllocator allocator = new RootAllocator();
             VarCharVector ids = new VarCharVector("item_id", allocator)) {
            for (int i = 0; i < items; i++) {
                ids.setSafe(i, ("i" + i).getBytes(StandardCharsets.UTF_8));
            }
            ids.setValueCount(items);
            try (NeighborsWriter writer = NeighborsWriter.open(file, ids, allocator)) {
                for (int i = 0; i < items; i++) {
                    int[] row = ranked(scores[i]);
                    float[] rowScores = new float[row.length];
                    for (int r = 0; r < row.length; r++) {
                        rowScores[r] = scores[i][row[r]];
                    }
                    writer.accept(i, row, rowScores, row.length);
                }
            }
            return file;
        }
    }

    /** The neighbours of a row, best score first, equal scores by index. */
    private static int[] ranked(float[] row) {
        return java.util.stream.IntStream.range(0, row.length).filter(j -> row[j] > 0).boxed()
                .sorted((a, b) -> row[a] != row[b] ? Float.compare(row[b], row[a]) : Integer.compare(a, b))
                .mapToInt(Integer::intValue).toArray();
    }

    /** The user's history as the stage hands it over (a finished {@link UserHistory}). */
    static UserHistory history(User user, int items) {
        UserHistory history = new UserHistory(items, items, Aggregation.MAX);
        user.history().forEach(history::add);
        user.ignored().forEach(history::addIgnored);
        history.finish();
        return history;
    }
}
