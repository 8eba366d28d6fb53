package dev.recstage.content.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** {@link Dot} on the Vector API: two SIMD accumulators along the vectors, then their lanes summed and the tail added. */
final class SimdDot implements Dot {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();

    @Override
    public float dot(float[] a, int aOffset, float[] b, int bOffset, int dimension) {
        FloatVector s0 = FloatVector.zero(SPECIES);
        FloatVector s1 = s0;
        int k = 0;
        for (; k + 2 * LANES <= dimension; k += 2 * LANES) {
            s0 = FloatVector.fromArray(SPECIES, a, aOffset + k).fma(FloatVector.fromArray(SPECIES, b, bOffset + k), s0);
            s1 = FloatVector.fromArray(SPECIES, a, aOffset + k + LANES).fma(FloatVector.fromArray(SPECIES, b, bOffset + k + LANES), s1);
        }
        float sum = s0.add(s1).reduceLanes(VectorOperators.ADD);
        for (; k < dimension; k++) {
            sum = Math.fma(a[aOffset + k], b[bOffset + k], sum);
        }
        return sum;
    }
}
