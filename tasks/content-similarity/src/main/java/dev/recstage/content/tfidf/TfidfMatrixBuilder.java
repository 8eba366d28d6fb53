package dev.recstage.content.tfidf;

import dev.recstage.core.engine.CsrMatrix;
import java.util.Arrays;

/**
 * The second pass over the items: each document's tokens become one row of the TF-IDF matrix,
 * weighted as sklearn does (tf · idf, rows L2-normalised in double precision) and stored in CSR
 * arrays allocated once at their exact size ({@code nnz} is known from the first pass).
 */
public final class TfidfMatrixBuilder {
    private final TermCounts columns;
    private final TfidfModel model;
    private final int rows;
    private final int[] rowPtr;
    private final int[] colIdx;
    private final float[] values;
    private int[] documentColumns = new int[256];
    private double[] weights = new double[256];
    private int documentLength;
    private int row;

    /**
     * @param columns the first pass's counts after {@link TermCounts#keepColumns}
     * @param nnz     what {@link TermCounts#keepColumns} returned
     */
    public TfidfMatrixBuilder(TermCounts columns, TfidfModel model, int rows, long nnz) {
        if (nnz > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("nnz " + nnz + " exceeds one array");
        }
        this.columns = columns;
        this.model = model;
        this.rows = rows;
        this.rowPtr = new int[rows + 1];
        this.colIdx = new int[(int) nnz];
        this.values = new float[(int) nnz];
    }

    /** Bytes the builder allocates: the CSR arrays of the finished matrix. */
    public static long bytesFor(long rows, long nnz) {
        return 4L * (rows + 1) + 8L * nnz;
    }

    public void token(CharSequence token) {
        int column = columns.column(token);
        if (column >= 0) {
            if (documentLength == documentColumns.length) {
                documentColumns = Arrays.copyOf(documentColumns, documentLength * 2);
            }
            documentColumns[documentLength++] = column;
        }
    }

    /** Ends the current document (row); rows come in order 0, 1, …. */
    public void endDocument() {
        Arrays.sort(documentColumns, 0, documentLength);
        int start = rowPtr[row];
        int entries = 0;
        double sumSquares = 0;
        for (int p = 0; p < documentLength; ) {
            int column = documentColumns[p];
            int count = 0;
            while (p < documentLength && documentColumns[p] == column) {
                p++;
                count++;
            }
            if (start + entries >= colIdx.length) {
                throw new IllegalStateException("items.arrow changed between the two passes over it (more terms than counted)");
            }
            if (entries == weights.length) {
                weights = Arrays.copyOf(weights, entries * 2);
            }
            double weight = model.parameters().termFrequency(count) * model.idf()[column];
            weights[entries] = weight;
            colIdx[start + entries] = column;
            sumSquares += weight * weight;
            entries++;
        }
        double norm = Math.sqrt(sumSquares);
        for (int e = 0; e < entries; e++) {
            values[start + e] = (float) (weights[e] / norm);
        }
        rowPtr[++row] = start + entries;
        documentLength = 0;
    }

    /** The finished matrix; every row must have been ended. */
    public CsrMatrix build() {
        if (row != rows || rowPtr[rows] != colIdx.length) {
            throw new IllegalStateException("items.arrow changed between the two passes over it (" + row + " of " + rows
                    + " rows, " + rowPtr[row] + " of " + colIdx.length + " entries)");
        }
        return CsrMatrix.of(rows, model.size(), rowPtr, colIdx, values);
    }
}
