package dev.recstage.core.engine;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A TF-IDF-like matrix over a Zipf vocabulary, the shape of content similarity's input: each row
 * draws a number of tokens from a Zipf distribution, counts them (tf), weights by the smoothed idf
 * {@code ln((1 + N) / (1 + df)) + 1} and is L2-normalised. A few frequent terms then appear in
 * most rows and dominate the unpruned work Σ_t df_t².
 */
final class ZipfTfIdf {

    private ZipfTfIdf() {
    }

    static CsrMatrix generate(int rows, int vocabulary, double exponent, int tokensPerRow, long seed) {
        return generate(rows, vocabulary, exponent, tokensPerRow, false, seed);
    }

    /** With {@code sublinearTf} the term frequency is damped to {@code 1 + ln tf}. */
    static CsrMatrix generate(int rows, int vocabulary, double exponent, int tokensPerRow, boolean sublinearTf, long seed) {
        double[] cumulative = new double[vocabulary];
        double total = 0;
        for (int r = 0; r < vocabulary; r++) {
            total += Math.pow(r + 1, -exponent);
            cumulative[r] = total;
        }
        SplittableRandom random = new SplittableRandom(seed);
        int[] rowPtr = new int[rows + 1];
        int[] terms = new int[rows * tokensPerRow];
        float[] tf = new float[rows * tokensPerRow];
        int[] tokens = new int[tokensPerRow];
        int nnz = 0;
        for (int i = 0; i < rows; i++) {
            for (int x = 0; x < tokensPerRow; x++) {
                int r = Arrays.binarySearch(cumulative, random.nextDouble() * total);
                tokens[x] = Math.min(vocabulary - 1, r >= 0 ? r : -r - 1);
            }
            Arrays.sort(tokens);
            for (int x = 0; x < tokensPerRow; x++) {
                if (x > 0 && tokens[x] == tokens[x - 1]) {
                    tf[nnz - 1]++;
                } else {
                    terms[nnz] = tokens[x];
                    tf[nnz++] = 1;
                }
            }
            rowPtr[i + 1] = nnz;
        }
        int[] df = new int[vocabulary];
        for (int p = 0; p < nnz; p++) {
            df[terms[p]]++;
        }
        float[] values = new float[nnz];
        for (int p = 0; p < nnz; p++) {
            values[p] = (float) ((sublinearTf ? 1 + Math.log(tf[p]) : tf[p]) * (Math.log((1.0 + rows) / (1.0 + df[terms[p]])) + 1));
        }
        return CsrMatrix.of(rows, vocabulary, rowPtr, Arrays.copyOf(terms, nnz), values).normalizeRows();
    }
}
