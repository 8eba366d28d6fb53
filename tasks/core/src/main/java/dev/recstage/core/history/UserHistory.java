package dev.recstage.core.history;

import java.util.Arrays;

/**
 * One user's events, fed in time order, reduced to the user's row of the matrix: the
 * {@code cap} most recent distinct items (recency of an item = its latest event), each with the
 * aggregate of the user's event weights on it; and every distinct item the user touched at all
 * (including events beyond the cap and events weighing nothing), for "already seen". Reused for every user; memory is O(items) for
 * the per-item marks plus O(events of the largest user).
 */
public final class UserHistory {
    private final int cap;
    private final Aggregation aggregation;
    /** Per item: the user generation that last saw it, so that the marks need no clearing. */
    private final int[] seenInGeneration;
    /** Per item seen in this generation: its slot among the kept items, or -1 when capped away. */
    private final int[] slotOfItem;
    private int generation;

    private int[] eventItems = new int[16];
    private double[] eventWeights = new double[16];
    private int events;

    private int[] keptItems = new int[16];
    private double[] keptWeights = new double[16];
    private long[] order = new long[16];
    private int[] rowItems = new int[16];
    private float[] rowWeights = new float[16];
    private int rowSize;
    private int droppedEvents;

    /** Items of the current user's events that weigh nothing: not in the row, but seen. */
    private int[] ignoredItems = new int[16];
    private int ignored;
    /** Every distinct item of the finished user, in no particular order until {@link #seenItems()} sorts it. */
    private int[] seenItems = new int[16];
    private int seenCount;
    private boolean seenSorted;

    public UserHistory(int itemCount, int cap, Aggregation aggregation) {
        this.cap = cap;
        this.aggregation = aggregation;
        this.seenInGeneration = new int[itemCount];
        this.slotOfItem = new int[itemCount];
    }

    /** Adds an event of the current user; events come in time order, weights are above 0. */
    public void add(int item, double weight) {
        if (events == eventItems.length) {
            eventItems = Arrays.copyOf(eventItems, events * 2);
            eventWeights = Arrays.copyOf(eventWeights, events * 2);
        }
        eventItems[events] = item;
        eventWeights[events] = weight;
        events++;
    }

    /** Notes an event of the current user whose weight is not above 0: the item is seen but not in the row. */
    public void addIgnored(int item) {
        if (ignored == ignoredItems.length) {
            ignoredItems = Arrays.copyOf(ignoredItems, ignored * 2);
        }
        ignoredItems[ignored++] = item;
    }

    /** Whether the current user has no event at all yet. */
    public boolean isEmpty() {
        return events == 0 && ignored == 0;
    }

    /**
     * Reduces the current user's events to their row ({@link #rowSize()} entries, items ascending)
     * and starts the next user.
     */
    public void finish() {
        generation++;
        int kept = 0;
        droppedEvents = 0;
        seenCount = 0;
        seenSorted = false;
        // Newest first: the first cap distinct items met are the most recent ones.
        for (int e = events - 1; e >= 0; e--) {
            int item = eventItems[e];
            if (seenInGeneration[item] != generation) {
                seenInGeneration[item] = generation;
                addSeen(item);
                if (kept < cap) {
                    ensureKeptCapacity(kept + 1);
                    keptItems[kept] = item;
                    keptWeights[kept] = eventWeights[e];
                    slotOfItem[item] = kept++;
                } else {
                    slotOfItem[item] = -1;
                    droppedEvents++;
                }
            } else if (slotOfItem[item] < 0) {
                droppedEvents++;
            } else {
                int slot = slotOfItem[item];
                keptWeights[slot] = aggregation.combine(keptWeights[slot], eventWeights[e]);
            }
        }
        for (int e = 0; e < ignored; e++) {
            int item = ignoredItems[e];
            if (seenInGeneration[item] != generation) {
                seenInGeneration[item] = generation;
                slotOfItem[item] = -1;
                addSeen(item);
            }
        }
        events = 0;
        ignored = 0;
        sortByItem(kept);
    }

    private void addSeen(int item) {
        if (seenCount == seenItems.length) {
            seenItems = Arrays.copyOf(seenItems, seenCount * 2);
        }
        seenItems[seenCount++] = item;
    }

    private void sortByItem(int kept) {
        for (int s = 0; s < kept; s++) {
            order[s] = ((long) keptItems[s] << 32) | s;
        }
        Arrays.sort(order, 0, kept);
        rowSize = 0;
        for (int r = 0; r < kept; r++) {
            int slot = (int) order[r];
            // Aggregated in double; as float it may underflow (decay) or overflow (huge row weights).
            float weight = (float) Math.min(keptWeights[slot], Float.MAX_VALUE);
            if (weight > 0) {
                rowItems[rowSize] = keptItems[slot];
                rowWeights[rowSize] = weight;
                rowSize++;
            }
        }
    }

    private void ensureKeptCapacity(int size) {
        if (size > keptItems.length) {
            int length = Math.max(size, keptItems.length * 2);
            keptItems = Arrays.copyOf(keptItems, length);
            keptWeights = Arrays.copyOf(keptWeights, length);
            order = new long[length];
            rowItems = new int[length];
            rowWeights = new float[length];
        }
    }

    /** Entries of the finished user's row. */
    public int rowSize() {
        return rowSize;
    }

    public int rowItem(int r) {
        return rowItems[r];
    }

    public float rowWeight(int r) {
        return rowWeights[r];
    }

    /** Distinct items of the finished user's events (row, beyond the cap, weighing nothing). */
    public int seenCount() {
        return seenCount;
    }

    /** The finished user's distinct items, ascending in {@code [0, seenCount())}; the array is reused. */
    public int[] seenItems() {
        if (!seenSorted) {
            Arrays.sort(seenItems, 0, seenCount);
            seenSorted = true;
        }
        return seenItems;
    }

    /** Events of the finished user on items beyond the cap. */
    public int droppedEvents() {
        return droppedEvents;
    }
}
