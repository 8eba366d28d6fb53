package dev.recstage.core.engine;

/**
 * A guess, from an evenly spread sample of a row's candidate scores, of a score that about 4K of
 * them reach. A search then ranks only the candidates at or above the guess: when at least K reach
 * it, the K-th best score is at least the guess, so no candidate below it can be in the top K,
 * whatever the tie rule. When fewer than K reach it the guess was too high and the search must
 * also rank the rest.
 *
 * <p>Aiming at 4K rows, not just above K: with 2K, one row in twenty (Poisson odds of too many
 * sampled rows among the top K) guessed too high and paid for a second pass.
 */
public final class SampledBar {

    /** Candidates sampled per row: enough for a stable guess, few next to the candidates themselves. */
    static final int SAMPLE = 512;
    /** Most values {@link #stride} samples from any number of candidates (fewer than 2·SAMPLE). */
    public static final int MAX_SAMPLE = 2 * SAMPLE;

    private SampledBar() {
    }

    /** Bytes of a sample buffer of {@link #MAX_SAMPLE} floats. */
    public static long bytes() {
        return 4L * MAX_SAMPLE;
    }

    /** Sample every stride-th of {@code population} candidates. */
    public static int stride(int population) {
        return Math.max(1, population / SAMPLE);
    }

    /**
     * The guess from {@code sample[0, size)} (reordered), drawn with {@link #stride} from
     * {@code population ≥ size} candidates; {@code none} when K is too large a share of them for the sample
     * to say anything (the search then ranks every candidate).
     */
    public static float guess(float[] sample, int size, int population, int k, float none) {
        if (size == 0) {
            return none;
        }
        long rank = 4L * k * size / population + 1;
        if (rank > size / 2) {
            return none;
        }
        return FloatSelect.largest(sample, size, (int) rank);
    }
}
