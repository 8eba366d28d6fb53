package dev.recstage.features;

import java.util.Arrays;

/**
 * The kept interactions as narrow parallel columns (user int32, item int32, event code int8,
 * weight float32, time int64 seconds), about 21 bytes a row. Columns grow by fixed chunks rather
 * than by copying: a copy of millions of rows leaves the old arrays as garbage in the old
 * generation, and collecting it took a full GC every few hundred thousand rows.
 */
final class InteractionTable {
    private static final int CHUNK_BITS = 16;
    private static final int CHUNK_ROWS = 1 << CHUNK_BITS;
    private static final int ROW_MASK = CHUNK_ROWS - 1;

    private int[][] user;
    private int[][] item;
    private byte[][] event;
    private float[][] weight;
    private long[][] time;
    private int size;

    InteractionTable() {
        clear();
    }

    void add(int u, int i, byte e, float w, long t) {
        int chunk = size >>> CHUNK_BITS;
        int row = size & ROW_MASK;
        if (row == 0) {
            addChunk(chunk);
        }
        user[chunk][row] = u;
        item[chunk][row] = i;
        event[chunk][row] = e;
        weight[chunk][row] = w;
        time[chunk][row] = t;
        size++;
    }

    private void addChunk(int chunk) {
        if (chunk == user.length) {
            int chunks = Math.max(8, chunk * 2);
            user = Arrays.copyOf(user, chunks);
            item = Arrays.copyOf(item, chunks);
            event = Arrays.copyOf(event, chunks);
            weight = Arrays.copyOf(weight, chunks);
            time = Arrays.copyOf(time, chunks);
        }
        user[chunk] = new int[CHUNK_ROWS];
        item[chunk] = new int[CHUNK_ROWS];
        event[chunk] = new byte[CHUNK_ROWS];
        weight[chunk] = new float[CHUNK_ROWS];
        time[chunk] = new long[CHUNK_ROWS];
    }

    /** Drops the columns so that their memory can be reclaimed; the table is empty afterwards. */
    void clear() {
        user = new int[0][];
        item = new int[0][];
        event = new byte[0][];
        weight = new float[0][];
        time = new long[0][];
        size = 0;
    }

    int size() {
        return size;
    }

    /** Heap bytes of a table of {@code rows} rows: whole chunks of the five columns, and the chunk arrays grown by doubling. */
    static long bytesFor(long rows) {
        long chunks = (rows + CHUNK_ROWS - 1) / CHUNK_ROWS;
        return chunks * CHUNK_ROWS * (4 + 4 + 1 + 4 + 8) + 5 * 2 * 8 * Math.max(8, chunks);
    }

    /**
     * Heap bytes {@link #sortedUniqueOrder} holds at once for {@code rows} rows of {@code users} users:
     * the order, the counting sort's two offset arrays, and then either the merge sort's scratch
     * (one user's rows) or the deduplicated copy (all rows at most).
     */
    static long sortBytes(long rows, long users) {
        return 4L * rows + 2 * 4L * (users + 1) + 4L * rows;
    }

    int user(int row) {
        return user[row >>> CHUNK_BITS][row & ROW_MASK];
    }

    int item(int row) {
        return item[row >>> CHUNK_BITS][row & ROW_MASK];
    }

    byte event(int row) {
        return event[row >>> CHUNK_BITS][row & ROW_MASK];
    }

    float weight(int row) {
        return weight[row >>> CHUNK_BITS][row & ROW_MASK];
    }

    long time(int row) {
        return time[row >>> CHUNK_BITS][row & ROW_MASK];
    }

    /**
     * Row order sorted by user, then time, item and event, with rows repeating an earlier
     * (user, item, event, time) removed (the first in file order is kept).
     */
    int[] sortedUniqueOrder(int users) {
        // Counting sort by user (users are dense), then a stable sort of each user's rows.
        int[] start = new int[users + 1];
        for (int r = 0; r < size; r++) {
            start[user(r) + 1]++;
        }
        for (int u = 0; u < users; u++) {
            start[u + 1] += start[u];
        }
        int[] order = new int[size];
        int[] next = Arrays.copyOf(start, users);
        for (int r = 0; r < size; r++) {
            order[next[user(r)]++] = r;
        }
        next = null;
        IndexSort.IntComparator byTimeItemEvent = (a, b) -> {
            int c = Long.compare(time(a), time(b));
            if (c == 0) {
                c = Integer.compare(item(a), item(b));
            }
            if (c == 0) {
                c = Byte.compare(event(a), event(b));
            }
            return c;
        };
        for (int u = 0; u < users; u++) {
            IndexSort.sort(order, start[u], start[u + 1], byTimeItemEvent);
        }
        int kept = 0;
        for (int k = 0; k < order.length; k++) {
            int r = order[k];
            if (kept > 0) {
                int p = order[kept - 1];
                if (user(p) == user(r) && byTimeItemEvent.compare(p, r) == 0) {
                    continue;
                }
            }
            order[kept++] = r;
        }
        return Arrays.copyOf(order, kept);
    }
}
