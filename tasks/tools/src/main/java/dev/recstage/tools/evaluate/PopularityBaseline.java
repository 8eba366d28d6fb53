package dev.recstage.tools.evaluate;

import java.util.Arrays;

/**
 * The baseline every recommender has to beat: the items most users had in training, best first
 * (ties by item index), without the items the user already had, as the recommend stage leaves them out.
 */
public final class PopularityBaseline {
    private PopularityBaseline() {
    }

    /** Per scored user (non-null {@code relevant}) the top {@code n}; null for the others. */
    public static int[][] lists(int[] popularity, int[][] trainItems, int[][] relevant, int n) {
        Integer[] boxed = new Integer[popularity.length];
        for (int i = 0; i < boxed.length; i++) {
            boxed[i] = i;
        }
        Arrays.sort(boxed, (a, b) -> popularity[a] != popularity[b] ? Integer.compare(popularity[b], popularity[a]) : Integer.compare(a, b));
        int[][] lists = new int[relevant.length][];
        for (int u = 0; u < relevant.length; u++) {
            if (relevant[u] == null) {
                continue;
            }
            int[] seen = trainItems[u] == null ? new int[0] : trainItems[u]; // sorted
            int[] list = new int[Math.min(n, popularity.length)];
            int size = 0;
            for (int i = 0; i < boxed.length && size < list.length; i++) {
                if (Arrays.binarySearch(seen, boxed[i]) < 0) {
                    list[size++] = boxed[i];
                }
            }
            lists[u] = Arrays.copyOf(list, size);
        }
        return lists;
    }
}
