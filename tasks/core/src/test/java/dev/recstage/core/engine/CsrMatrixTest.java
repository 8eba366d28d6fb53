package dev.recstage.core.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class CsrMatrixTest {

    private static IllegalArgumentException invalid(int rows, int cols, int[] rowPtr, int[] colIdx, float[] values) {
        return assertThrows(IllegalArgumentException.class, () -> CsrMatrix.of(rows, cols, rowPtr, colIdx, values));
    }

    @Test
    void rejectsEachBrokenInvariantWithAMessageSayingWhere() {
        assertTrue(invalid(-1, 2, new int[] {0}, new int[0], new float[0]).getMessage().contains("negative shape"));
        assertTrue(invalid(2, 2, new int[] {0, 0}, new int[0], new float[0]).getMessage().contains("rows + 1"));
        assertTrue(invalid(1, 2, new int[] {1, 1}, new int[] {0}, new float[] {1}).getMessage().contains("rowPtr[0]"));
        assertTrue(invalid(1, 2, new int[] {0, 1}, new int[] {0}, new float[0]).getMessage().contains("values has"));
        assertTrue(invalid(1, 2, new int[] {0, 2}, new int[] {0}, new float[] {1}).getMessage().contains("rowPtr[rows]"));
        assertTrue(invalid(2, 2, new int[] {0, 2, 1}, new int[] {0}, new float[] {1}).getMessage().contains("decreases at row 1"));
        assertTrue(invalid(3, 3, new int[] {0, 2, 1, 2}, new int[] {0, 1}, new float[] {1, 1}).getMessage().contains("decreases at row 1"));
        assertTrue(invalid(1, 2, new int[] {0, 1}, new int[] {2}, new float[] {1}).getMessage().contains("outside [0, 2)"));
        assertTrue(invalid(1, 2, new int[] {0, 1}, new int[] {-1}, new float[] {1}).getMessage().contains("outside"));
        assertTrue(invalid(1, 3, new int[] {0, 2}, new int[] {1, 1}, new float[] {1, 1}).getMessage().contains("strictly ascending"));
        assertTrue(invalid(1, 3, new int[] {0, 2}, new int[] {2, 1}, new float[] {1, 1}).getMessage().contains("strictly ascending"));
        assertTrue(invalid(1, 2, new int[] {0, 1}, new int[] {0}, new float[] {Float.NaN}).getMessage().contains("not finite"));
        assertTrue(invalid(1, 2, new int[] {0, 1}, new int[] {0}, new float[] {Float.POSITIVE_INFINITY}).getMessage().contains("not finite"));
        assertTrue(invalid(1, 2, new int[] {0, 1}, new int[] {0}, new float[] {0f}).getMessage().contains("explicit zero"));
        assertTrue(invalid(1, 2, new int[] {0, 1}, new int[] {0}, new float[] {-0f}).getMessage().contains("explicit zero"));
        assertThrows(IllegalArgumentException.class, () -> CsrMatrix.of(1, 1, null, new int[0], new float[0]));
    }

    @Test
    void acceptsEmptyShapesAndEmptyRows() {
        CsrMatrix empty = CsrMatrix.of(0, 0, new int[] {0}, new int[0], new float[0]);
        assertEquals(0, empty.rows());
        assertEquals(0, empty.transpose().rows());
        CsrMatrix m = CsrMatrix.of(3, 4, new int[] {0, 0, 2, 2}, new int[] {1, 3}, new float[] {2f, -1f});
        assertEquals(3, m.rows());
        assertEquals(4, m.cols());
        assertEquals(2, m.nnz());
        assertEquals(0, m.rowNnz(0));
        assertEquals(2, m.rowNnz(1));
        assertEquals(3, m.colAt(m.rowStart(1) + 1));
        assertEquals(-1f, m.valueAt(m.rowEnd(1) - 1));
        assertEquals(2, m.maxRowNnz());
        assertFalse(m.isPositive());
        assertEquals(4L * 4 + 8L * 2, m.bytes());
    }

    @Test
    void rowMaximaOfTheTransposeAreColumnMaxima() {
        CsrMatrix m = Dense.toCsr(new float[][] {{1, 0, 3}, {2, 0, 1}}, 3);
        assertArrayEquals(new float[] {2, 0, 3}, m.transpose().rowMaxima());
        assertArrayEquals(new float[] {3, 2}, m.rowMaxima());
    }

    @Property(tries = 200)
    void transposeMatchesTheDenseTransposeAndIsAnInvolution(@ForAll @IntRange(max = 30) int rows, @ForAll @IntRange(min = 1, max = 30) int cols,
                                                             @ForAll long seed) {
        float[][] dense = Dense.random(new Random(seed), rows, cols, 0.3, Dense.Values.SIGNED);
        CsrMatrix m = Dense.toCsr(dense, cols);
        CsrMatrix t = m.transpose();
        float[][] denseT = Dense.toDense(t);
        for (int i = 0; i < rows; i++) {
            for (int c = 0; c < cols; c++) {
                assertEquals(dense[i][c], denseT[c][i]);
            }
        }
        assertTrue(t.isTransposeOf(m));
        assertTrue(m.isTransposeOf(t));
        assertArrayEquals(Dense.toDense(m), Dense.toDense(t.transpose()));
    }

    @Test
    void isTransposeOfNoticesAChangedValueOrPosition() {
        CsrMatrix m = Dense.toCsr(new float[][] {{1, 0, 3}, {2, 5, 0}}, 3);
        assertFalse(m.isTransposeOf(Dense.toCsr(new float[][] {{1, 2}, {0, 5}, {3, 1}}, 2)));
        assertFalse(m.isTransposeOf(Dense.toCsr(new float[][] {{1, 2}, {0, 5}, {4, 0}}, 2)));
        assertFalse(m.isTransposeOf(Dense.toCsr(new float[][] {{1, 2}, {5, 0}, {3, 0}}, 2)));
        assertFalse(m.isTransposeOf(m));
        assertTrue(m.isTransposeOf(Dense.toCsr(new float[][] {{1, 2}, {0, 5}, {3, 0}}, 2)));
    }

    @Property(tries = 200)
    void normalizedRowsHaveUnitNormAndKeepTheirDirection(@ForAll @IntRange(max = 20) int rows, @ForAll @IntRange(min = 1, max = 20) int cols,
                                                         @ForAll long seed) {
        float[][] dense = Dense.random(new Random(seed), rows, cols, 0.4, Dense.Values.SIGNED);
        CsrMatrix normalized = Dense.toCsr(dense, cols).normalizeRows();
        float[][] result = Dense.toDense(normalized);
        for (int i = 0; i < rows; i++) {
            double norm = 0;
            double resultNorm = 0;
            for (int c = 0; c < cols; c++) {
                norm += (double) dense[i][c] * dense[i][c];
                resultNorm += (double) result[i][c] * result[i][c];
            }
            if (norm == 0) {
                assertEquals(0, normalized.rowNnz(i), "empty row stays empty");
                continue;
            }
            assertEquals(1.0, resultNorm, 1e-5);
            for (int c = 0; c < cols; c++) {
                assertEquals((float) (dense[i][c] / Math.sqrt(norm)), result[i][c]);
            }
        }
    }

    @Test
    void normalizeDropsEntriesThatUnderflowToZero() {
        CsrMatrix m = CsrMatrix.of(1, 2, new int[] {0, 2}, new int[] {0, 1}, new float[] {1e-30f, 1e30f}).normalizeRows();
        assertEquals(1, m.nnz());
        assertEquals(1, m.colAt(0));
        assertEquals(1f, m.valueAt(0));
    }
}
