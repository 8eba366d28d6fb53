package dev.recstage.content.vector;

/**
 * The dot product of two row-major vectors, for the HNSW index's graph walks and for rescoring its
 * candidates. A pair's score is the same bits on every call, thread and block (each implementation
 * is one fixed sequence of operations), so the index's output does not depend on the threads; it
 * may differ from the exact kernel's in the last bits (lanes are summed in another order).
 */
interface Dot {

    float dot(float[] a, int aOffset, float[] b, int bOffset, int dimension);

    /** The SIMD one when the JVM has the Vector API module (as for {@link VectorKernel#of}), else a plain fused sum. */
    static Dot of() {
        if (VectorKernel.VECTOR_API) {
            return new SimdDot();
        }
        return (a, aOffset, b, bOffset, dimension) -> {
            float sum = 0f;
            for (int k = 0; k < dimension; k++) {
                sum = Math.fma(a[aOffset + k], b[bOffset + k], sum);
            }
            return sum;
        };
    }
}
