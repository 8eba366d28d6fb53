package dev.recstage.core.engine;

/**
 * A half-open range of rows {@code [from, to)}.
 *
 * @param from first row, inclusive
 * @param to   last row, exclusive
 */
public record RowRange(int from, int to) {

    public RowRange {
        if (from < 0 || to < from) {
            throw new IllegalArgumentException("invalid row range [" + from + ", " + to + ")");
        }
    }

    /**
     * Shard {@code s} of {@code n} over {@code rows} rows: {@code [s·rows/n, (s+1)·rows/n)}. The
     * shards of one split are contiguous, disjoint, cover every row and differ in size by at most
     * one, so concatenating their outputs gives the unsharded output.
     */
    public static RowRange shard(int rows, int s, int n) {
        if (rows < 0 || n < 1 || s < 0 || s >= n) {
            throw new IllegalArgumentException("invalid shard " + s + "/" + n + " of " + rows + " rows");
        }
        return new RowRange((int) ((long) s * rows / n), (int) ((long) (s + 1) * rows / n));
    }

    public int size() {
        return to - from;
    }
}
