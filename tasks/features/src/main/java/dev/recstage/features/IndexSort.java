package dev.recstage.features;

/** Stable merge sort of an int permutation by a primitive comparator: no boxing for millions of rows. */
final class IndexSort {
    @FunctionalInterface
    interface IntComparator {
        int compare(int a, int b);
    }

    private IndexSort() {
    }

    /** Sorts {@code index[from, to)}. */
    static void sort(int[] index, int from, int to, IntComparator comparator) {
        if (to - from < 2) {
            return;
        }
        int[] scratch = new int[to - from];
        mergeSort(index, scratch, from, to, comparator);
    }

    private static void mergeSort(int[] a, int[] scratch, int from, int to, IntComparator cmp) {
        if (to - from <= 16) {
            for (int i = from + 1; i < to; i++) {
                int v = a[i];
                int j = i - 1;
                while (j >= from && cmp.compare(a[j], v) > 0) {
                    a[j + 1] = a[j];
                    j--;
                }
                a[j + 1] = v;
            }
            return;
        }
        int mid = (from + to) >>> 1;
        mergeSort(a, scratch, from, mid, cmp);
        mergeSort(a, scratch, mid, to, cmp);
        if (cmp.compare(a[mid - 1], a[mid]) <= 0) {
            return;
        }
        int n = mid - from;
        System.arraycopy(a, from, scratch, 0, n);
        int i = 0;
        int j = mid;
        int k = from;
        while (i < n && j < to) {
            a[k++] = cmp.compare(scratch[i], a[j]) <= 0 ? scratch[i++] : a[j++];
        }
        while (i < n) {
            a[k++] = scratch[i++];
        }
    }
}
