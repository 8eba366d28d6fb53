package dev.recstage.content.vector;

/**
 * Cosine scores of a few query items against every item, into a dense {@code rows × n} block.
 *
 * <p>Every implementation computes a pair's score as the same float sum: starting from 0, for
 * k = 0..d-1 in that order, {@code s = fma(q_k, x_k, s)} (one rounding per step). So a score
 * has the same bits whatever the implementation, the block of rows, the thread or the machine's
 * SIMD width, and the outputs do not depend on them.
 */
public interface VectorKernel {
    /** Whether the JVM has the Vector API module (started with {@code --add-modules jdk.incubator.vector}). */
    boolean VECTOR_API = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    /**
     * Which arithmetic the vector scores run on, for the log and the manifest: {@code simd} (the
     * Vector API) or {@code plain} (plain Java, as without the module).
     */
    static String kind() {
        return VECTOR_API && SimdKernel.fits() ? "simd" : "plain";
    }

    /**
     * Scores of items {@code [first, first + rows)} against all items into {@code out[at + r·p + j]},
     * p = {@link ItemVectors#paddedItems()} (whole panels: the padding items after the n real ones
     * score 0, and every row's stores stay on whole cache lines when {@code at} starts one).
     */
    void score(int first, int rows, float[] out, int at);

    /**
     * The SIMD kernel when the JVM was started with {@code --add-modules jdk.incubator.vector}
     * (bin/recstage does so for this stage), else the plain-Java one: same bits, about 13× slower.
     */
    static VectorKernel of(ItemVectors vectors, int maxRows) {
        if (VECTOR_API && SimdKernel.fits()) {
            return new SimdKernel(vectors, maxRows);
        }
        return new ScalarKernel(vectors, maxRows);
    }
}
