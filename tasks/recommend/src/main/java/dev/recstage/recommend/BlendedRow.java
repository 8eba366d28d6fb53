package dev.recstage.recommend;

/**
 * The blended similarity row of one item: the union of its behaviour and content neighbours, each
 * scored {@code behaviorWeight·b + contentWeight·c} (b, c its scaled scores, 0 where it is not in
 * that list), ascending by neighbour index. A source whose weight is 0 contributes nothing and is
 * skipped. Scratch for one thread: {@link #load(int)} overwrites the previous row.
 */
final class BlendedRow {
    static final byte BEHAVIOR = 0;
    static final byte CONTENT = 1;
    static final byte BOTH = 2;
    /** The names of the source codes, in code order (the {@code source} column's dictionary). */
    static final String[] SOURCE_NAMES = {"behavior", "content", "both"};

    private final NeighborLists behavior;
    private final NeighborLists content;
    private final double behaviorWeight;
    private final double contentWeight;
    private int[] neighbors;
    private double[] scores;
    private byte[] sources;
    private int size;

    BlendedRow(NeighborLists behavior, NeighborLists content, BlendWeights weights, int capacity) {
        this.behavior = behavior;
        this.content = content;
        this.behaviorWeight = weights.behavior();
        this.contentWeight = weights.content();
        this.neighbors = new int[capacity];
        this.scores = new double[capacity];
        this.sources = new byte[capacity];
    }

    /** The most entries one row can have: the longest behaviour row plus the longest content row. */
    static int capacity(NeighborLists behavior, NeighborLists content) {
        return longestRow(behavior) + longestRow(content);
    }

    private static int longestRow(NeighborLists lists) {
        int longest = 0;
        for (int i = 0; i < lists.items(); i++) {
            longest = Math.max(longest, lists.rowEnd(i) - lists.rowStart(i));
        }
        return longest;
    }

    /** Merges the two rows of {@code item}; returns the number of entries. */
    int load(int item) {
        int b = behavior.rowStart(item);
        int bEnd = behaviorWeight > 0 ? behavior.rowEnd(item) : b;
        int c = content.rowStart(item);
        int cEnd = contentWeight > 0 ? content.rowEnd(item) : c;
        size = 0;
        while (b < bEnd || c < cEnd) {
            int bj = b < bEnd ? behavior.neighbor(b) : Integer.MAX_VALUE;
            int cj = c < cEnd ? content.neighbor(c) : Integer.MAX_VALUE;
            if (bj < cj) {
                add(bj, behaviorWeight * behavior.score(b++), BEHAVIOR);
            } else if (cj < bj) {
                add(cj, contentWeight * content.score(c++), CONTENT);
            } else {
                add(bj, behaviorWeight * behavior.score(b++) + contentWeight * content.score(c++), BOTH);
            }
        }
        return size;
    }

    private void add(int neighbor, double score, byte source) {
        neighbors[size] = neighbor;
        scores[size] = score;
        sources[size] = source;
        size++;
    }

    int size() {
        return size;
    }

    int neighbor(int e) {
        return neighbors[e];
    }

    double score(int e) {
        return scores[e];
    }

    byte source(int e) {
        return sources[e];
    }

    /** Heap bytes of one row's scratch. */
    static long bytesFor(long capacity) {
        return 13 * capacity;
    }
}
