package dev.recstage.content.vector;

import dev.recstage.core.engine.CsrMatrix;

/**
 * One row's TF-IDF dot products with every row that shares a term, accumulated in ascending term
 * order (the engine's canonical dot product, so the scores are bit-identical to the engine's).
 * The items touched are remembered, so that a row costs its postings, not the item count.
 */
final class TextRowScores {
    private final CsrMatrix text;
    private final CsrMatrix transposed;
    private final double[] scores;
    private final int[] touched;
    private int touchedCount;

    /** @param text L2-normalised TF-IDF rows (non-negative, may have no columns); {@code transposed} its transpose */
    TextRowScores(CsrMatrix text, CsrMatrix transposed) {
        this.text = text;
        this.transposed = transposed;
        this.scores = new double[text.rows()];
        this.touched = new int[text.rows()];
    }

    /** Heap bytes of one instance. */
    static long bytesFor(long items) {
        return 12L * items;
    }

    /** Adds row i's dot products to the (cleared) scores. */
    void accumulate(int i) {
        for (int p = text.rowStart(i); p < text.rowEnd(i); p++) {
            double weight = text.valueAt(p);
            int term = text.colAt(p);
            for (int q = transposed.rowStart(term); q < transposed.rowEnd(term); q++) {
                double product = weight * transposed.valueAt(q);
                if (product == 0) {
                    continue; // adds nothing; skipping it keeps each touched item listed once
                }
                int j = transposed.colAt(q);
                if (scores[j] == 0) {
                    touched[touchedCount++] = j;
                }
                scores[j] += product;
            }
        }
    }

    /** Row i's dot product with item j (0 when they share no term). */
    double score(int j) {
        return scores[j];
    }

    int touchedCount() {
        return touchedCount;
    }

    /** The t-th item with a non-zero score, in the order first touched. */
    int touched(int t) {
        return touched[t];
    }

    /** Zeroes the scores of the items touched, for the next row. */
    void clear() {
        for (int t = 0; t < touchedCount; t++) {
            scores[touched[t]] = 0;
        }
        touchedCount = 0;
    }
}
