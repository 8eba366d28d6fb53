package dev.recstage.content.vector;

/**
 * The plain-Java {@link VectorKernel}: for one query row and one panel, the PANEL running sums
 * advance together along k. Used when the Vector API module is not there, and by the tests as the
 * bit-exact twin of {@link SimdKernel}.
 */
final class ScalarKernel implements VectorKernel {
    private static final int PANEL = ItemVectors.PANEL;

    private final ItemVectors vectors;
    private final float[] query;
    private final float[] sums = new float[PANEL];

    ScalarKernel(ItemVectors vectors, int maxRows) {
        this.vectors = vectors;
        this.query = new float[maxRows * vectors.dimension];
    }

    @Override
    public void score(int first, int rows, float[] out) {
        int n = vectors.items;
        int d = vectors.dimension;
        float[] x = vectors.panels;
        vectors.copyRows(first, rows, query);
        for (int j0 = 0; j0 < n; j0 += PANEL) {
            int panel = j0 * d;
            int width = Math.min(PANEL, n - j0);
            for (int r = 0; r < rows; r++) {
                java.util.Arrays.fill(sums, 0f);
                for (int k = 0; k < d; k++) {
                    float q = query[r * d + k];
                    int at = panel + k * PANEL;
                    for (int c = 0; c < PANEL; c++) {
                        sums[c] = Math.fma(q, x[at + c], sums[c]);
                    }
                }
                System.arraycopy(sums, 0, out, r * n + j0, width);
            }
        }
    }
}
