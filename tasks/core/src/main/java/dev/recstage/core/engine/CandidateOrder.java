package dev.recstage.core.engine;

import java.util.Arrays;

/**
 * The K best of one row's candidates in output order — higher score first, equal scores by
 * smaller neighbour index, as {@link TopKHeap#better} — found by packing each (score, neighbour)
 * into one long whose ascending order is that order: a selection and a primitive sort then
 * replace a heap of K, whose sifts dominated rows with many candidates. Scores must not be NaN.
 * Public for the searches of the stages that rank other scores (vector neighbours) the same way.
 */
public final class CandidateOrder {

    private final long[] keys;
    private final int k;
    private int size;

    /** @param capacity most candidates of one row (rows of the matrix) */
    public CandidateOrder(int capacity, int k) {
        this.keys = new long[capacity];
        this.k = k;
    }

    public static long bytesFor(long capacity) {
        return 8L * capacity;
    }

    /** How many candidates {@link #sortBest()} keeps. */
    int k() {
        return k;
    }

    public void add(int j, float score) {
        keys[size++] = key(j, score);
    }

    /**
     * Sorts the K best candidates (all when fewer) to the front, best first, for
     * {@link #neighbor(int)}; returns how many and starts the next row.
     */
    int sortBest() {
        int best = Math.min(size, k);
        if (size > best) {
            moveSmallestToFront(best);
        }
        Arrays.sort(keys, 0, best);
        size = 0;
        return best;
    }

    /**
     * {@link #sortBest()}, then writes the K best from {@code offset}, best first; returns how
     * many. A -0 is written as +0 ({@link #score(int)}).
     */
    public int sortBestInto(int[] outNeighbor, float[] outScore, int offset) {
        int best = sortBest();
        for (int r = 0; r < best; r++) {
            outNeighbor[offset + r] = neighbor(r);
            outScore[offset + r] = score(r);
        }
        return best;
    }

    /** The neighbour of rank {@code r} (0 = best) after {@link #sortBest()}. */
    int neighbor(int r) {
        return (int) keys[r];
    }

    /** The score of rank {@code r} after {@link #sortBest()}: the one added, except that -0 comes back as +0. */
    float score(int r) {
        int ascending = ~(int) (keys[r] >>> 32);
        return Float.intBitsToFloat(ascending ^ ((ascending >> 31) & 0x7fffffff));
    }

    /**
     * Score descending in the high half, index ascending in the low half. Adding +0 turns -0 into
     * +0, which compares equal to it; the other floats map to ints in their own order (the map
     * keeps the sign bit and is its own inverse, which {@link #score(int)} uses).
     */
    private static long key(int j, float score) {
        int bits = Float.floatToRawIntBits(score + 0f);
        int ascending = bits ^ ((bits >> 31) & 0x7fffffff);
        return ((long) ~ascending << 32) | j;
    }

    /** Quickselect: afterwards keys[0, count) are the count smallest of keys[0, size), in any order. */
    private void moveSmallestToFront(int count) {
        int target = count - 1;
        int lo = 0;
        int hi = size - 1;
        while (lo < hi) {
            long pivot = median(keys[lo], keys[(lo + hi) >>> 1], keys[hi]);
            int left = lo;
            int right = hi;
            while (left <= right) {
                while (keys[left] < pivot) {
                    left++;
                }
                while (keys[right] > pivot) {
                    right--;
                }
                if (left <= right) {
                    long swap = keys[left];
                    keys[left++] = keys[right];
                    keys[right--] = swap;
                }
            }
            // Now [lo, right] <= pivot <= [left, hi], and right < left.
            if (target <= right) {
                hi = right;
            } else if (target >= left) {
                lo = left;
            } else {
                return; // between right and left: the pivot itself
            }
        }
    }

    private static long median(long a, long b, long c) {
        return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
    }
}
