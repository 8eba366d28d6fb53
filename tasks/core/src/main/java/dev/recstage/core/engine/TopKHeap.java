package dev.recstage.core.engine;

/**
 * The K best (neighbour, score) pairs of one row, in primitive arrays (no boxing, no allocation per
 * offer). "Better" means a higher score, or an equal score and a smaller neighbour index; this is
 * the output order everywhere. The root of the binary heap is the worst pair kept. Public for the
 * searches of the stages that rank other scores (vector and blended neighbours) the same way.
 */
public final class TopKHeap {

    private final int capacity;
    private final int[] neighbor;
    private final float[] score;
    private int size;

    public TopKHeap(int capacity) {
        this.capacity = capacity;
        this.neighbor = new int[capacity];
        this.score = new float[capacity];
    }

    /** True when (s1, j1) comes before (s2, j2) in the output order. */
    static boolean better(float s1, int j1, float s2, int j2) {
        return s1 > s2 || (s1 == s2 && j1 < j2);
    }

    public boolean isFull() {
        return size == capacity;
    }

    /** Score of the worst pair kept; meaningful only when {@link #isFull()}. */
    public float worstScore() {
        return score[0];
    }

    /** Forgets every pair kept. */
    public void clear() {
        size = 0;
    }

    public void offer(int j, float s) {
        if (size < capacity) {
            int slot = size++;
            while (slot > 0) {
                int parent = (slot - 1) >>> 1;
                if (!better(score[parent], neighbor[parent], s, j)) {
                    break;
                }
                neighbor[slot] = neighbor[parent];
                score[slot] = score[parent];
                slot = parent;
            }
            neighbor[slot] = j;
            score[slot] = s;
        } else if (better(s, j, score[0], neighbor[0])) {
            siftDownFromRoot(j, s, size);
        }
    }

    /** Places (j, s) at the root of the heap {@code [0, n)} and restores the heap property. */
    private void siftDownFromRoot(int j, float s, int n) {
        int slot = 0;
        while (true) {
            int child = 2 * slot + 1;
            if (child >= n) {
                break;
            }
            int right = child + 1;
            if (right < n && better(score[child], neighbor[child], score[right], neighbor[right])) {
                child = right;
            }
            if (!better(s, j, score[child], neighbor[child])) {
                break;
            }
            neighbor[slot] = neighbor[child];
            score[slot] = score[child];
            slot = child;
        }
        neighbor[slot] = j;
        score[slot] = s;
    }

    /**
     * Writes the kept pairs best first into {@code outNeighbor/outScore} from {@code offset},
     * empties the heap and returns how many were written.
     */
    public int drainSorted(int[] outNeighbor, float[] outScore, int offset) {
        int n = size;
        // Heap sort: repeatedly move the worst pair to the end of the remaining range.
        for (int last = n - 1; last >= 0; last--) {
            outNeighbor[offset + last] = neighbor[0];
            outScore[offset + last] = score[0];
            if (last > 0) {
                siftDownFromRoot(neighbor[last], score[last], last);
            }
        }
        size = 0;
        return n;
    }
}
