package dev.recstage.core.engine;

import java.util.Arrays;
import java.util.Random;

/** Dense test matrices: conversion to and from CSR, random generation with empty rows, duplicates and ties. */
final class Dense {

    private Dense() {
    }

    /** The value kinds a random matrix draws from. */
    enum Values {
        /** A few small values: many equal products and scores. */
        TIES,
        /** Arbitrary positive floats. */
        POSITIVE,
        /** Arbitrary floats of both signs (disables pruning, exercises cancellation). */
        SIGNED,
        /** Only ones: co-occurrence style binary matrices. */
        BINARY
    }

    static CsrMatrix toCsr(float[][] dense, int cols) {
        int rows = dense.length;
        int[] rowPtr = new int[rows + 1];
        int nnz = 0;
        for (float[] row : dense) {
            for (float v : row) {
                nnz += v != 0f ? 1 : 0;
            }
        }
        int[] colIdx = new int[nnz];
        float[] values = new float[nnz];
        int p = 0;
        for (int i = 0; i < rows; i++) {
            for (int c = 0; c < cols; c++) {
                if (dense[i][c] != 0f) {
                    colIdx[p] = c;
                    values[p] = dense[i][c];
                    p++;
                }
            }
            rowPtr[i + 1] = p;
        }
        return CsrMatrix.of(rows, cols, rowPtr, colIdx, values);
    }

    static float[][] toDense(CsrMatrix m) {
        float[][] dense = new float[m.rows()][m.cols()];
        for (int i = 0; i < m.rows(); i++) {
            for (int p = m.rowStart(i); p < m.rowEnd(i); p++) {
                dense[i][m.colAt(p)] = m.valueAt(p);
            }
        }
        return dense;
    }

    /**
     * A random rows × cols matrix: each row is empty, a copy of an earlier row, or drawn with the
     * given density.
     */
    static float[][] random(Random random, int rows, int cols, double density, Values kind) {
        float[][] dense = new float[rows][cols];
        for (int i = 0; i < rows; i++) {
            double roll = random.nextDouble();
            if (roll < 0.1) {
                continue; // empty row
            }
            if (roll < 0.25 && i > 0) {
                dense[i] = Arrays.copyOf(dense[random.nextInt(i)], cols); // duplicate row: tied scores
                continue;
            }
            for (int c = 0; c < cols; c++) {
                if (random.nextDouble() < density) {
                    dense[i][c] = value(random, kind);
                }
            }
        }
        return dense;
    }

    /**
     * A positive matrix shaped like TF-IDF with stop words: the first {@code commonCols} columns are
     * each used by most rows, the others by few. Rows hold only common columns, only rare ones,
     * both, nothing, or copy an earlier row; some rows are scaled far down (float products of the
     * approximation underflow) or up.
     */
    static float[][] randomWithCommonColumns(Random random, int rows, int cols, int commonCols, Values kind) {
        double[] density = new double[cols];
        for (int c = 0; c < cols; c++) {
            density[c] = c < commonCols ? 0.5 + 0.5 * random.nextDouble() : 0.15 * random.nextDouble();
        }
        float[][] dense = new float[rows][cols];
        for (int i = 0; i < rows; i++) {
            double roll = random.nextDouble();
            if (roll < 0.05) {
                continue; // empty row
            }
            if (roll < 0.2 && i > 0) {
                dense[i] = Arrays.copyOf(dense[random.nextInt(i)], cols); // duplicate row: tied scores
                continue;
            }
            int from = roll < 0.35 ? commonCols : 0; // only rare columns
            int to = roll > 0.85 ? commonCols : cols; // only common columns
            float scale = new float[] {1f, 1f, 1f, 1f, 1e-20f, 1e9f}[random.nextInt(6)];
            for (int c = from; c < to; c++) {
                if (random.nextDouble() < density[c]) {
                    dense[i][c] = value(random, kind) * scale;
                }
            }
        }
        return dense;
    }

    private static float value(Random random, Values kind) {
        switch (kind) {
            case TIES:
                return new float[] {0.5f, 1f, 2f}[random.nextInt(3)];
            case POSITIVE:
                return (float) (0.001 + random.nextDouble() * 10);
            case SIGNED:
                float v = random.nextBoolean() ? new float[] {1f, 2f, 0.5f}[random.nextInt(3)] : (float) (random.nextDouble() * 4);
                return (random.nextBoolean() ? -1 : 1) * (v == 0f ? 1f : v);
            case BINARY:
                return 1f;
            default:
                throw new AssertionError(kind);
        }
    }
}
