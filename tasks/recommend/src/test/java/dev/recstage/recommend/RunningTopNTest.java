package dev.recstage.recommend;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class RunningTopNTest {
    private record Entry(int item, float score, int tag) {
    }

    /** The order of the top N: a higher score first, then a smaller item. */
    private static final Comparator<Entry> BEST_FIRST = Comparator.comparing(Entry::score, Comparator.reverseOrder())
            .thenComparing(Entry::item);

    /**
     * Candidates over disjoint item ranges, each pass's top N merged in: the result is the top N of
     * all candidates sorted at once, ties included (few distinct scores make them frequent).
     */
    @Property(tries = 500)
    void mergingEachPassesTopNGivesTheTopNOfEverything(@ForAll long seed, @ForAll @IntRange(min = 1, max = 6) int n,
                                                      @ForAll @IntRange(min = 1, max = 5) int passes) {
        Random random = new Random(seed);
        int rows = 1 + random.nextInt(4);
        RunningTopN running = new RunningTopN(rows, n);
        RunningTopN.Scratch scratch = new RunningTopN.Scratch(n);
        List<List<Entry>> all = new ArrayList<>();
        for (int row = 0; row < rows; row++) {
            all.add(new ArrayList<>());
        }
        int[] items = new int[n];
        float[] scores = new float[n];
        int[] tags = new int[n];
        List<Entry> merged = List.of();
        for (int p = 0; p < passes; p++) {
            for (int row = 0; row < rows; row++) {
                List<Entry> candidates = new ArrayList<>();
                for (int k = random.nextInt(2 * n + 1); k > 0; k--) {
                    int item = p * 1000 + random.nextInt(1000);
                    if (candidates.stream().noneMatch(e -> e.item() == item)) {
                        candidates.add(new Entry(item, 1 + random.nextInt(4), random.nextInt(100)));
                    }
                }
                all.get(row).addAll(candidates);
                List<Entry> top = candidates.stream().sorted(BEST_FIRST).limit(n).toList();
                for (int r = 0; r < top.size(); r++) {
                    items[r] = top.get(r).item();
                    scores[r] = top.get(r).score();
                    tags[r] = top.get(r).tag();
                }
                int count = running.merge(row, items, scores, tags, 0, top.size(), scratch);
                List<Entry> got = new ArrayList<>();
                for (int r = 0; r < count; r++) {
                    got.add(new Entry(items[r], scores[r], tags[r]));
                }
                assertEquals(all.get(row).stream().sorted(BEST_FIRST).limit(n).toList(), got, "row " + row + " after pass " + p);
            }
        }
    }
}
