package dev.recstage.core.engine;

/** Selection of the r-th largest of some floats in expected linear time (no NaNs expected). */
final class FloatSelect {

    private FloatSelect() {
    }

    /**
     * The {@code rank}-th largest (1 = the largest) of {@code values[0, size)}, which it reorders.
     * Hoare's quickselect with a median-of-three pivot.
     */
    static float largest(float[] values, int size, int rank) {
        if (rank < 1 || rank > size) {
            throw new IllegalArgumentException("rank " + rank + " outside [1, " + size + "]");
        }
        int target = size - rank; // its index once sorted ascending
        int lo = 0;
        int hi = size - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            float pivot = median(values[lo], values[mid], values[hi]);
            int left = lo;
            int right = hi;
            while (left <= right) {
                while (values[left] < pivot) {
                    left++;
                }
                while (values[right] > pivot) {
                    right--;
                }
                if (left <= right) {
                    float swap = values[left];
                    values[left++] = values[right];
                    values[right--] = swap;
                }
            }
            // Now [lo, right] ≤ pivot ≤ [left, hi], and right < left.
            if (target <= right) {
                hi = right;
            } else if (target >= left) {
                lo = left;
            } else {
                return values[target]; // between right and left: equal to the pivot
            }
        }
        return values[target];
    }

    private static float median(float a, float b, float c) {
        return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
    }
}
