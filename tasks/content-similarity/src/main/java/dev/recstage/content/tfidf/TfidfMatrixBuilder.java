package dev.recstage.content.tfidf;

import dev.recstage.core.engine.CsrMatrix;
import java.util.Arrays;

/**
 * The second pass, over the first pass's counted documents (no text): each document becomes one
 * row of the TF-IDF matrix, weighted as sklearn does (tf · idf, rows L2-normalised in double
 * precision, summed in column order) and stored in CSR arrays allocated once at their exact size.
 */
public final class TfidfMatrixBuilder {
    private TfidfMatrixBuilder() {
    }

    /** Bytes of the finished matrix's CSR arrays. */
    public static long bytesFor(long rows, long nnz) {
        return 4L * (rows + 1) + 8L * nnz;
    }

    /** Heap of {@link #build}'s scratch for one row of at most {@code maxRowNnz} entries: packed entries and weights. */
    public static long rowScratchBytes(long maxRowNnz) {
        return 2 * (16 + 8 * Math.max(maxRowNnz, 1));
    }

    /** Entries the matrix will have: the documents' terms that the model keeps. */
    public static long nnz(CountedDocuments documents, int[] columnOfId) {
        long nnz = 0;
        int end = documents.start(documents.documents());
        for (int entry = 0; entry < end; entry++) {
            nnz += columnOfId[documents.id(entry)] >= 0 ? 1 : 0;
        }
        return nnz;
    }

    /**
     * @param columnOfId for every term id of the first pass, its model column or -1 ({@link TermCounts#columnsOf})
     * @param nnz        what {@link #nnz} returned
     */
    public static CsrMatrix build(CountedDocuments documents, int[] columnOfId, TfidfModel model, long nnz) {
        if (nnz > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("nnz " + nnz + " exceeds one array");
        }
        int rows = documents.documents();
        int[] rowPtr = new int[rows + 1];
        int[] colIdx = new int[(int) nnz];
        float[] values = new float[(int) nnz];
        // A row's (column, weighted count) pairs packed column-major into longs (the count's float bits
        // below), so that one sort orders them by column.
        long[] row = new long[Math.max(documents.maxDocumentTerms(), 1)];
        double[] weights = new double[row.length];
        for (int d = 0; d < rows; d++) {
            int length = 0;
            for (int entry = documents.start(d); entry < documents.start(d + 1); entry++) {
                int column = columnOfId[documents.id(entry)];
                if (column >= 0) {
                    row[length++] = (long) column << 32 | Float.floatToRawIntBits(documents.count(entry)) & 0xFFFFFFFFL;
                }
            }
            Arrays.sort(row, 0, length);
            int start = rowPtr[d];
            double sumSquares = 0;
            for (int e = 0; e < length; e++) {
                int column = (int) (row[e] >>> 32);
                double weight = model.parameters().termFrequency(Float.intBitsToFloat((int) row[e])) * model.idf()[column];
                weights[e] = weight;
                colIdx[start + e] = column;
                sumSquares += weight * weight;
            }
            double norm = Math.sqrt(sumSquares);
            for (int e = 0; e < length; e++) {
                values[start + e] = (float) (weights[e] / norm);
            }
            rowPtr[d + 1] = start + length;
        }
        return CsrMatrix.of(rows, model.size(), rowPtr, colIdx, values);
    }
}
