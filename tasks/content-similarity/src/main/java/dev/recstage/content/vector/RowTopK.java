package dev.recstage.content.vector;

/**
 * The K best (neighbour, score) pairs of one row in the engine's order: higher score first, equal
 * scores by smaller neighbour index. A binary heap whose root is the worst pair kept.
 */
final class RowTopK {
    private final int capacity;
    private final int[] neighbor;
    private final float[] score;
    private int size;

    RowTopK(int capacity) {
        this.capacity = capacity;
        this.neighbor = new int[capacity];
        this.score = new float[capacity];
    }

    void clear() {
        size = 0;
    }

    /** True when (s1, j1) comes after (s2, j2) in the output order. */
    private static boolean worse(float s1, int j1, float s2, int j2) {
        return s1 < s2 || (s1 == s2 && j1 > j2);
    }

    /**
     * Offers a candidate. Candidates of a row must come in ascending neighbour order: then a
     * candidate that only ties the worst kept score comes after it and is rejected by one compare.
     */
    void offerAscending(int j, float s) {
        if (size < capacity) {
            int slot = size++;
            while (slot > 0) {
                int parent = (slot - 1) >>> 1;
                if (!worse(s, j, score[parent], neighbor[parent])) {
                    break;
                }
                neighbor[slot] = neighbor[parent];
                score[slot] = score[parent];
                slot = parent;
            }
            neighbor[slot] = j;
            score[slot] = s;
        } else if (s > score[0]) {
            siftDownFromRoot(j, s);
        }
    }

    private void siftDownFromRoot(int j, float s) {
        int slot = 0;
        while (true) {
            int child = 2 * slot + 1;
            if (child >= size) {
                break;
            }
            if (child + 1 < size && worse(score[child + 1], neighbor[child + 1], score[child], neighbor[child])) {
                child++;
            }
            if (!worse(score[child], neighbor[child], s, j)) {
                break;
            }
            neighbor[slot] = neighbor[child];
            score[slot] = score[child];
            slot = child;
        }
        neighbor[slot] = j;
        score[slot] = s;
    }

    /** Writes the kept pairs best first into {@code [offset, offset + size)} and empties the heap; returns how many. */
    int drainBestFirst(int[] neighbors, float[] scores, int offset) {
        int count = size;
        for (int r = count - 1; r >= 0; r--) {
            neighbors[offset + r] = neighbor[0];
            scores[offset + r] = score[0];
            size--;
            if (size > 0) {
                int lastJ = neighbor[size];
                float lastS = score[size];
                siftDownFromRoot(lastJ, lastS);
            }
        }
        return count;
    }
}
