package dev.recstage.core.engine;

/**
 * How a candidate pair (i, j) is scored from its canonical dot product and its number of common
 * non-zero columns, and which pairs count as neighbours at all.
 *
 * <p>The canonical dot product of rows i and j is {@code (float)} of the sum, in ascending column
 * order, of {@code (double) a_ik * a_jk} over their common columns. Every path (engine with or
 * without pruning, {@link DenseReference}) computes exactly that, so scores are bit-identical.
 *
 * <p>A pair is a candidate only if the rows share at least {@link #minCommon()} columns, and
 * always at least one: two rows without overlap are never neighbours, whatever the measure.
 *
 * <p>The set of measures is closed on purpose: the engine relies on knowing when a measure is a
 * plain dot product (to prune with dot bounds) and when it needs the common-column counts.
 */
public final class PairScorer {

    /** The measure a scorer computes. */
    public enum Measure {
        /** The canonical dot product; cosine similarity when the rows are L2-normalised. */
        DOT,
        /** The number of common columns (co-occurrence count on a binary matrix). */
        COUNT,
        /** {@code common / (nnz_i + nnz_j - common)}: Jaccard index of the two column sets. */
        JACCARD
    }

    private final Measure measure;
    private final int minCommon;

    private PairScorer(Measure measure, int minCommon) {
        this.measure = measure;
        this.minCommon = minCommon;
    }

    public static PairScorer dot() {
        return new PairScorer(Measure.DOT, 1);
    }

    /** Cosine similarity: the dot product of L2-normalised rows (normalise with {@link CsrMatrix#normalizeRows()}). */
    public static PairScorer cosine() {
        return dot();
    }

    public static PairScorer count() {
        return new PairScorer(Measure.COUNT, 1);
    }

    public static PairScorer jaccard() {
        return new PairScorer(Measure.JACCARD, 1);
    }

    /**
     * The same measure, keeping only pairs with at least {@code minCommon} common columns
     * (behaviour's {@code BEHAVIOR_MIN_COOCCURRENCE}). Values below 1 mean 1.
     */
    public PairScorer withMinCommon(int minCommon) {
        return new PairScorer(measure, Math.max(1, minCommon));
    }

    public Measure measure() {
        return measure;
    }

    /** Smallest number of common columns for a pair to be a candidate; always at least 1. */
    public int minCommon() {
        return minCommon;
    }

    /** True when the engine must count common columns per pair (to score or to filter). */
    public boolean needsCommon() {
        return measure != Measure.DOT || minCommon > 1;
    }

    /**
     * True when the score is the dot product itself and every overlapping pair is a candidate,
     * which is what makes upper bounds on the dot product valid for pruning.
     */
    public boolean allowsDotBoundPruning() {
        return measure == Measure.DOT && minCommon <= 1;
    }

    /**
     * The score of a candidate pair.
     *
     * @param nnzI   number of non-zero columns of row i
     * @param nnzJ   number of non-zero columns of row j
     * @param dot    the canonical dot product of rows i and j
     * @param common number of common non-zero columns (only meaningful when {@link #needsCommon()})
     */
    public float score(int nnzI, int nnzJ, float dot, int common) {
        switch (measure) {
            case DOT:
                return dot;
            case COUNT:
                return common;
            case JACCARD:
                return (float) ((double) common / ((long) nnzI + nnzJ - common));
            default:
                throw new AssertionError(measure);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PairScorer && ((PairScorer) o).measure == measure && ((PairScorer) o).minCommon == minCommon;
    }

    @Override
    public int hashCode() {
        return measure.hashCode() * 31 + minCommon;
    }

    @Override
    public String toString() {
        return measure.name().toLowerCase(java.util.Locale.ROOT) + (minCommon > 1 ? "(minCommon=" + minCommon + ")" : "");
    }
}
