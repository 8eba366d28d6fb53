package dev.recstage.recommend;

import dev.recstage.core.memory.MemoryPlan;
import dev.recstage.core.stage.StageRun;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides how a recommend run holds its neighbour lists, before allocating them: all at once when
 * the plan with them fits the budget (and RECOMMEND_PASSES allows one pass), else in passes over
 * neighbour ranges sized from the counts of each neighbour, as few as fit. Logs the memory plan
 * and ends with exit 4 when even one pass per neighbour cannot fit.
 */
final class PassPlanner {
    private final StageRun run;
    private final RecommendInputs inputs;
    private final RecommendSettings settings;

    PassPlanner(StageRun run, RecommendInputs inputs, RecommendSettings settings) {
        this.run = run;
        this.inputs = inputs;
        this.settings = settings;
    }

    /**
     * @param behaviorRows entries of the behaviour table (0 when its weight is 0)
     * @param contentRows  entries of the content table (0 when its weight is 0)
     * @param longestRow   the most entries of one blended row
     * @param idBytes      off-heap bytes of the ids as read
     */
    List<NeighborPass> plan(long behaviorRows, long contentRows, int longestRow, long idBytes) {
        int items = inputs.features().itemCount();
        int users = inputs.features().userCount();
        MemoryPlan atOnce = RecommendMemoryPlan.of(items, users, longestRow, settings, idBytes, behaviorRows, contentRows, 1);
        if (settings.minPasses() <= 1 && atOnce.fits(run.budget())) {
            run.log().infof("Memory plan: %s", atOnce.describe(run.budget()));
            return List.of(new NeighborPass(NeighborRange.all(items), behaviorRows, contentRows));
        }
        if (settings.minPasses() <= 1) {
            run.log().infof("The neighbour lists do not fit the heap at once (%s); reading them in passes over neighbour ranges",
                    atOnce.describe(run.budget()));
        }
        NeighborCounts behavior = count(behaviorRows > 0, inputs.behaviorFiles(), "behaviour", items);
        NeighborCounts content = count(contentRows > 0, inputs.contentFiles(), "content", items);
        MemoryPlan withoutLists = RecommendMemoryPlan.withoutLists(items, users, longestRow, settings, idBytes, true);
        long maxEntries = RecommendMemoryPlan.maxEntriesPerPass(withoutLists, run.budget(), items);
        List<NeighborRange> ranges = NeighborRanges.split(behavior, content, maxEntries, Math.max(1, settings.minPasses()));
        List<NeighborPass> passes = new ArrayList<>();
        NeighborPass largest = ranges.isEmpty() ? largestNeighbor(behavior, content) : null;
        for (NeighborRange range : ranges) {
            NeighborPass pass = new NeighborPass(range, behavior.sum(range), content.sum(range));
            passes.add(pass);
            if (largest == null || pass.behaviorEntries() + pass.contentEntries() > largest.behaviorEntries() + largest.contentEntries()) {
                largest = pass;
            }
        }
        // Passes, or (none found) the pass of the most listed neighbour alone, which the plan then refuses.
        MemoryPlan plan = RecommendMemoryPlan.of(items, users, longestRow, settings, idBytes, largest.behaviorEntries(),
                largest.contentEntries(), Math.max(2, passes.size()));
        run.log().infof("Memory plan: %s", plan.describe(run.budget()));
        RecommendMemoryPlan.requireFits(plan, run.budget());
        run.log().infof("%d passes over neighbour ranges, at most %d entries each", passes.size(), maxEntries);
        return passes;
    }

    private NeighborCounts count(boolean used, List<Path> files, String source, int items) {
        NeighborCounts counts = new NeighborCounts(items);
        return used ? run.step("count " + source + " neighbours", () -> counts.add(files, run.allocator())) : counts;
    }

    /** The pass of the neighbour listed most often, alone: the smallest pass there can be. */
    private static NeighborPass largestNeighbor(NeighborCounts behavior, NeighborCounts content) {
        int most = 0;
        for (int j = 1; j < behavior.items(); j++) {
            if ((long) behavior.count(j) + content.count(j) > (long) behavior.count(most) + content.count(most)) {
                most = j;
            }
        }
        return new NeighborPass(new NeighborRange(most, most + 1), behavior.count(most), content.count(most));
    }
}
