package dev.recstage.recommend;

import dev.recstage.recommend.BruteForceRecommend.Entry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The stage's pure classes run on a {@link RecommendCase}, lists collected in memory. */
final class Computed {
    final NeighborLists behavior;
    final NeighborLists content;
    private final RecommendCase input;

    /** Reads both sources through neighbours files in {@code dir}, as the stage does, onto the heap. */
    Computed(RecommendCase input, Path dir) {
        this(input, dir, false);
    }

    /** As the stage does with {@code RECOMMEND_NEIGHBOR_STORAGE=disk} when {@code onDisk}. */
    Computed(RecommendCase input, Path dir, boolean onDisk) {
        this.input = input;
        this.behavior = RecommendCase.throughFile(input.behavior(), dir.resolve("behavior.arrow"), onDisk);
        this.content = RecommendCase.throughFile(input.content(), dir.resolve("content.arrow"), onDisk);
    }

    Map<Integer, List<Entry>> related() {
        int n = input.relatedTopN();
        RelatedItems related = new RelatedItems(new BlendedRow(behavior, content, input.weights(),
                BlendedRow.capacity(behavior, content)), n);
        Map<Integer, List<Entry>> all = new TreeMap<>();
        int[] neighbors = new int[n];
        float[] scores = new float[n];
        byte[] sources = new byte[n];
        for (int i = 0; i < input.items(); i++) {
            int count = related.listFor(i, neighbors, scores, sources);
            List<Entry> list = new ArrayList<>();
            for (int r = 0; r < count; r++) {
                list.add(new Entry(neighbors[r], scores[r], -1, BlendedRow.SOURCE_NAMES[sources[r]], false));
            }
            all.put(i, list);
        }
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
        try (UserRecommender recommender = new UserRecommender(behavior, content, input.weights(), popular, input.userTopN(),
                input.includeSeen(), threads, blockUsers, input.items(), sink, done -> { })) {
            for (RecommendCase.User user : input.users()) {
                recommender.add(user.user(), RecommendCase.history(user, input.items()));
            }
            recommender.finish();
        }
        if (!order.equals(input.users().stream().map(RecommendCase.User::user).toList())) {
            throw new AssertionError("users not handed over in order: " + order);
        }
        return all;
    }
}
