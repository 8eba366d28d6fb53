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
    public void score(int first, int rows, float[] out, int at) {
        int n = vectors.items;
        int d = vectors.dimension;
        float[] x = vectors.panels;
        int stride = vectors.paddedItems();
        vectors.copyRows(first, rows, query);
        for (int j0 = 0; j0 < n; j0 += PANEL) {
            int panel = vectors.origin + j0 * d;
            for (int r = 0; r < rows; r++) {
                java.util.Arrays.fill(sums, 0f);
                for (int k = 0; k < d; k++) {
                    float q = query[r * d + k];
                    int slice = panel + k * PANEL;
                    for (int c = 0; c < PANEL; c++) {
                        sums[c] = Math.fma(q, x[slice + c], sums[c]);
                    }
                }
                System.arraycopy(sums, 0, out, at + r * stride + j0, PANEL);
            }
        }
    }
}
