package dev.recstage.core.engine;

/**
 * An immutable sparse matrix in compressed sparse row (CSR) form with {@code float} values.
 *
 * <p>Invariants checked by {@link #of}: {@code rowPtr} starts at 0, never decreases and ends at
 * {@code nnz}; column indices lie in {@code [0, cols)} and are strictly ascending within a row
 * (so no duplicates); every stored value is finite and non-zero. Storing only non-zero values
 * makes "common column" of two rows a structural notion, which the scorers and the engine's
 * touched-list rely on.
 *
 * <p>The matrix takes ownership of the arrays given to {@link #of} (no copy, to keep the memory
 * of large matrices at one copy): callers must not modify them afterwards. Derived matrices may
 * share arrays with their source, which is safe because nothing mutates them.
 */
public final class CsrMatrix {

    // Package-private so the engine's inner loops read the arrays directly.
    final int rows;
    final int cols;
    final int[] rowPtr;
    final int[] colIdx;
    final float[] values;
    private final boolean positive;

    private CsrMatrix(int rows, int cols, int[] rowPtr, int[] colIdx, float[] values, boolean positive) {
        this.rows = rows;
        this.cols = cols;
        this.rowPtr = rowPtr;
        this.colIdx = colIdx;
        this.values = values;
        this.positive = positive;
    }

    /**
     * Validates and wraps CSR arrays (taking ownership of them).
     *
     * @throws IllegalArgumentException naming the first violated invariant and where it happens
     */
    public static CsrMatrix of(int rows, int cols, int[] rowPtr, int[] colIdx, float[] values) {
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException("negative shape " + rows + "x" + cols);
        }
        if (rowPtr == null || colIdx == null || values == null) {
            throw new IllegalArgumentException("rowPtr, colIdx and values are required");
        }
        if (rowPtr.length != rows + 1) {
            throw new IllegalArgumentException("rowPtr has length " + rowPtr.length + ", expected rows + 1 = " + (rows + 1));
        }
        if (rowPtr[0] != 0) {
            throw new IllegalArgumentException("rowPtr[0] = " + rowPtr[0] + ", expected 0");
        }
        if (colIdx.length != values.length) {
            throw new IllegalArgumentException("colIdx has " + colIdx.length + " entries but values has " + values.length);
        }
        if (rowPtr[rows] != colIdx.length) {
            throw new IllegalArgumentException("rowPtr[rows] = " + rowPtr[rows] + " but there are " + colIdx.length + " entries");
        }
        for (int i = 0; i < rows; i++) {
            if (rowPtr[i + 1] < rowPtr[i]) {
                throw new IllegalArgumentException("rowPtr decreases at row " + i + ": " + rowPtr[i] + " > " + rowPtr[i + 1]);
            }
        }
        boolean positive = true;
        for (int i = 0; i < rows; i++) {
            int previous = -1;
            for (int p = rowPtr[i]; p < rowPtr[i + 1]; p++) {
                int c = colIdx[p];
                if (c < 0 || c >= cols) {
                    throw new IllegalArgumentException("row " + i + ": column " + c + " outside [0, " + cols + ")");
                }
                if (c <= previous) {
                    throw new IllegalArgumentException("row " + i + ": columns not strictly ascending (" + previous + " then " + c + ")");
                }
                previous = c;
                float v = values[p];
                if (!Float.isFinite(v)) {
                    throw new IllegalArgumentException("row " + i + ", column " + c + ": value " + v + " is not finite");
                }
                if (v == 0f) {
                    throw new IllegalArgumentException("row " + i + ", column " + c + ": explicit zero (store only non-zero values)");
                }
                positive &= v > 0f;
            }
        }
        return new CsrMatrix(rows, cols, rowPtr, colIdx, values, positive);
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    public int nnz() {
        return colIdx.length;
    }

    /** Position of the first entry of row {@code i} (use with {@link #colAt} and {@link #valueAt}). */
    public int rowStart(int i) {
        return rowPtr[i];
    }

    /** Position one past the last entry of row {@code i}. */
    public int rowEnd(int i) {
        return rowPtr[i + 1];
    }

    public int rowNnz(int i) {
        return rowPtr[i + 1] - rowPtr[i];
    }

    public int colAt(int position) {
        return colIdx[position];
    }

    public float valueAt(int position) {
        return values[position];
    }

    /** Largest number of entries in one row (0 for an empty matrix). */
    public int maxRowNnz() {
        int max = 0;
        for (int i = 0; i < rows; i++) {
            max = Math.max(max, rowPtr[i + 1] - rowPtr[i]);
        }
        return max;
    }

    /** True when every stored value is strictly positive: the condition for dot-bound pruning. */
    public boolean isPositive() {
        return positive;
    }

    /** Largest value of each row (0 for an empty row); on a transpose this is A's column maximum. */
    public float[] rowMaxima() {
        float[] max = new float[rows];
        for (int i = 0; i < rows; i++) {
            float m = 0f;
            for (int p = rowPtr[i]; p < rowPtr[i + 1]; p++) {
                m = Math.max(m, values[p]);
            }
            max[i] = m;
        }
        return max;
    }

    /**
     * The transpose, i.e. the inverted index column → rows. Rows are visited in ascending order,
     * so each transposed row comes out with ascending column indices.
     */
    public CsrMatrix transpose() {
        int nnz = nnz();
        int[] tPtr = new int[cols + 1];
        for (int p = 0; p < nnz; p++) {
            tPtr[colIdx[p] + 1]++;
        }
        for (int c = 0; c < cols; c++) {
            tPtr[c + 1] += tPtr[c];
        }
        int[] cursor = new int[cols];
        System.arraycopy(tPtr, 0, cursor, 0, cols);
        int[] tIdx = new int[nnz];
        float[] tVal = new float[nnz];
        for (int i = 0; i < rows; i++) {
            for (int p = rowPtr[i]; p < rowPtr[i + 1]; p++) {
                int slot = cursor[colIdx[p]]++;
                tIdx[slot] = i;
                tVal[slot] = values[p];
            }
        }
        return new CsrMatrix(cols, rows, tPtr, tIdx, tVal, positive);
    }

    /** Heap {@link #transpose} uses beside its result: a cursor per column. */
    public static long transposeScratchBytes(long cols) {
        return 16 + 4 * cols;
    }

    /**
     * True when {@code other} is exactly this matrix's transpose. Runs in O(nnz) time with one
     * cursor per column, so the engine can afford to check its inputs.
     */
    public boolean isTransposeOf(CsrMatrix other) {
        if (other.rows != cols || other.cols != rows || other.nnz() != nnz()) {
            return false;
        }
        int[] cursor = new int[cols];
        System.arraycopy(other.rowPtr, 0, cursor, 0, cols);
        for (int i = 0; i < rows; i++) {
            for (int p = rowPtr[i]; p < rowPtr[i + 1]; p++) {
                int c = colIdx[p];
                int q = cursor[c]++;
                if (q >= other.rowPtr[c + 1] || other.colIdx[q] != i
                        || Float.floatToRawIntBits(other.values[q]) != Float.floatToRawIntBits(values[p])) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * Each row divided by its L2 norm (computed in double). Empty rows stay empty. An entry that
     * underflows to zero after division is dropped so that the non-zero invariant holds; when none
     * does (the usual case) the structure arrays are shared with this matrix.
     */
    public CsrMatrix normalizeRows() {
        int nnz = nnz();
        float[] scaled = new float[nnz];
        int zeros = 0;
        for (int i = 0; i < rows; i++) {
            double sumSquares = 0;
            for (int p = rowPtr[i]; p < rowPtr[i + 1]; p++) {
                sumSquares += (double) values[p] * values[p];
            }
            double norm = Math.sqrt(sumSquares);
            for (int p = rowPtr[i]; p < rowPtr[i + 1]; p++) {
                scaled[p] = (float) (values[p] / norm);
                if (scaled[p] == 0f) {
                    zeros++;
                }
            }
        }
        if (zeros == 0) {
            return new CsrMatrix(rows, cols, rowPtr, colIdx, scaled, positive);
        }
        return dropZeros(scaled, nnz - zeros);
    }

    private CsrMatrix dropZeros(float[] scaled, int kept) {
        int[] newPtr = new int[rows + 1];
        int[] newIdx = new int[kept];
        float[] newVal = new float[kept];
        int out = 0;
        for (int i = 0; i < rows; i++) {
            for (int p = rowPtr[i]; p < rowPtr[i + 1]; p++) {
                if (scaled[p] != 0f) {
                    newIdx[out] = colIdx[p];
                    newVal[out] = scaled[p];
                    out++;
                }
            }
            newPtr[i + 1] = out;
        }
        return new CsrMatrix(rows, cols, newPtr, newIdx, newVal, positive);
    }

    /** Bytes held by the arrays this matrix references (arrays shared with another matrix count in both). */
    public long bytes() {
        return bytesFor(rows, nnz());
    }

    /** Bytes of a CSR matrix with this many rows and entries: row pointers plus (int, float) per entry. */
    static long bytesFor(long rows, long nnz) {
        return 4L * (rows + 1) + 8L * nnz;
    }

    @Override
    public String toString() {
        return "CsrMatrix[" + rows + "x" + cols + ", nnz=" + nnz() + "]";
    }
}
