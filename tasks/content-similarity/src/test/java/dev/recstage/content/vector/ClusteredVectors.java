package dev.recstage.content.vector;

import java.util.Random;

/** Row-major test vectors scattered around random centres (as many centres as items: uniform random). */
final class ClusteredVectors {
    private ClusteredVectors() {
    }

    /** {@code n} vectors of dimension {@code d} around {@code centres} Gaussian centres, each component off by {@code spread}·N(0,1). */
    static float[] generate(int n, int d, int centres, double spread, long seed) {
        Random random = new Random(seed);
        float[][] centre = new float[centres][d];
        for (float[] c : centre) {
            for (int k = 0; k < d; k++) {
                c[k] = (float) random.nextGaussian();
            }
        }
        float[] values = new float[n * d];
        for (int i = 0; i < n; i++) {
            float[] c = centre[random.nextInt(centres)];
            for (int k = 0; k < d; k++) {
                values[i * d + k] = c[k] + (float) (spread * random.nextGaussian());
            }
        }
        return values;
    }
}
