package dev.recstage.features;

import java.util.Arrays;

/**
 * The kept interactions as narrow parallel columns (user int32, item int32, event code int8,
 * weight float32, time int64 seconds), grown as rows are read; about 21 bytes a row.
 */
final class InteractionTable {
    private int[] user = new int[1024];
    private int[] item = new int[1024];
    private byte[] event = new byte[1024];
    private float[] weight = new float[1024];
    private long[] time = new long[1024];
    private int size;

    void add(int u, int i, byte e, float w, long t) {
        if (size == user.length) {
            int capacity = Math.toIntExact(Math.min(Integer.MAX_VALUE - 8, (long) size * 3 / 2 + 1));
            user = Arrays.copyOf(user, capacity);
            item = Arrays.copyOf(item, capacity);
            event = Arrays.copyOf(event, capacity);
            weight = Arrays.copyOf(weight, capacity);
            time = Arrays.copyOf(time, capacity);
        }
        user[size] = u;
        item[size] = i;
        event[size] = e;
        weight[size] = w;
        time[size] = t;
        size++;
    }

    /** Drops the columns so that their memory can be reclaimed; the table is empty afterwards. */
    void clear() {
        user = new int[0];
        item = new int[0];
        event = new byte[0];
        weight = new float[0];
        time = new long[0];
        size = 0;
    }

    int size() {
        return size;
    }

    int user(int row) {
        return user[row];
    }

    int item(int row) {
        return item[row];
    }

    byte event(int row) {
        return event[row];
    }

    float weight(int row) {
        return weight[row];
    }

    long time(int row) {
        return time[row];
    }

    long bytes() {
        return (long) user.length * (4 + 4 + 1 + 4 + 8);
    }

    /**
     * Row order sorted by user, then time, item and event, with rows repeating an earlier
     * (user, item, event, time) removed (the first in file order is kept).
     */
    int[] sortedUniqueOrder(int users) {
        // Counting sort by user (users are dense), then a stable sort of each user's rows.
        int[] start = new int[users + 1];
        for (int r = 0; r < size; r++) {
            start[user[r] + 1]++;
        }
        for (int u = 0; u < users; u++) {
            start[u + 1] += start[u];
        }
        int[] order = new int[size];
        int[] next = Arrays.copyOf(start, users);
        for (int r = 0; r < size; r++) {
            order[next[user[r]]++] = r;
        }
        next = null;
        IndexSort.IntComparator byTimeItemEvent = (a, b) -> {
            int c = Long.compare(time[a], time[b]);
            if (c == 0) {
                c = Integer.compare(item[a], item[b]);
            }
            if (c == 0) {
                c = Byte.compare(event[a], event[b]);
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
                if (user[p] == user[r] && byTimeItemEvent.compare(p, r) == 0) {
                    continue;
                }
            }
            order[kept++] = r;
        }
        return Arrays.copyOf(order, kept);
    }
}
