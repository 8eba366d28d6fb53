package dev.recstage.recommend;

import dev.recstage.recommend.BruteForceRecommend.Entry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;

/**
 * The stage's pure classes run on a {@link RecommendCase}, lists collected in memory: both sources
 * written as neighbours files and read back as the stage reads them, all at once or in passes over
 * neighbour ranges.
 */
final class Computed {
    private final RecommendCase input;
    private final Path behaviorFile;
    private final Path contentFile;
    private final List<NeighborRange> ranges;

    /** All the lists at once. */
    Computed(RecommendCase input, Path dir) {
        this(input, dir, 1);
    }

    /** In passes over about {@code passes} neighbour ranges of about equal entries (the stage's split). */
    Computed(RecommendCase input, Path dir, int passes) {
        this.input = input;
        this.behaviorFile = RecommendCase.toFile(input.behavior(), dir.resolve("behavior.arrow"));
        this.contentFile = RecommendCase.toFile(input.content(), dir.resolve("content.arrow"));
        try (BufferAllocator allocator = new RootAllocator()) {
            NeighborCounts behavior = new NeighborCounts(input.items()).add(List.of(behaviorFile), allocator);
            NeighborCounts content = new NeighborCounts(input.items()).add(List.of(contentFile), allocator);
            this.ranges = passes == 1 ? List.of(NeighborRange.all(input.items()))
                    : NeighborRanges.split(behavior, content, Long.MAX_VALUE, passes);
        }
    }

    int passes() {
        return ranges.size();
    }

    private NeighborLists read(Path file, float[][] scores, NeighborRange range) {
        long rows = 0;
        long inRange = 0;
        for (float[] row : scores) {
            for (int j = 0; j < row.length; j++) {
                rows += row[j] > 0 ? 1 : 0;
                inRange += row[j] > 0 && range.contains(j) ? 1 : 0;
            }
        }
        try (BufferAllocator allocator = new RootAllocator()) {
            return NeighborListsReader.read(List.of(file), input.items(), rows, allocator, range, (int) inRange).lists();
        }
    }

    /** Runs {@code pass} for each range with that range's lists; {@code last} on the last one. */
    private void inPasses(PassBody pass) {
        for (int p = 0; p < ranges.size(); p++) {
            NeighborRange range = ranges.get(p);
            pass.run(read(behaviorFile, input.behavior(), range), read(contentFile, input.content(), range), p + 1 == ranges.size());
        }
    }

    private interface PassBody {
        void run(NeighborLists behavior, NeighborLists content, boolean last);
    }

    Map<Integer, List<Entry>> related() {
        int n = input.relatedTopN();
        Map<Integer, List<Entry>> all = new TreeMap<>();
        RelatedListSink sink = (item, neighbors, scores, sources, count) -> {
            List<Entry> list = new ArrayList<>();
            for (int r = 0; r < count; r++) {
                list.add(new Entry(neighbors[r], scores[r], -1, BlendedRow.SOURCE_NAMES[sources[r]], false));
            }
            all.put(item, list);
        };
        RunningTopN soFar = ranges.size() > 1 ? new RunningTopN(input.items(), n) : null;
        inPasses((behavior, content, last) -> RelatedPass.run(behavior, content, input.weights(), n, soFar, last ? sink : null));
        return all;
    }

    Map<Integer, List<Entry>> recommendations(int threads, int blockUsers) {
        Map<Integer, List<Entry>> all = new TreeMap<>();
        List<Integer> order = new ArrayList<>();
        UserListSink sink = (user, items, scores, because, offset, count, popular) -> {
            List<Entry> list = new ArrayList<>();
            for (int r = offset; r < offset + count; r++) {
                list.add(new Entry(items[r], scores[r], popular ? -1 : because[r], null, popular));
            }
            order.add(user);
            all.put(user, list);
        };
        PopularItems popular = new PopularItems(input.popularity(), input.includeSeen());
        RunningTopN soFar = ranges.size() > 1 ? new RunningTopN(input.users().size(), input.userTopN()) : null;
        inPasses((behavior, content, last) -> {
            try (UserRecommender recommender = new UserRecommender(behavior, content, input.weights(), popular, input.userTopN(),
                    input.includeSeen(), threads, blockUsers, input.items(), soFar, last ? sink : null, done -> { })) {
                for (RecommendCase.User user : input.users()) {
                    recommender.add(user.user(), RecommendCase.history(user, input.items()));
                }
                recommender.finish();
            }
        });
        if (!order.equals(input.users().stream().map(RecommendCase.User::user).toList())) {
            throw new AssertionError("users not handed over in order: " + order);
        }
        return all;
    }
}
