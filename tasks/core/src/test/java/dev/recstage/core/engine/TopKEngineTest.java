package dev.recstage.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Hand-checked examples, edge cases and the contract around the search. */
class TopKEngineTest {

    private static final TopKEngine ENGINE = new TopKEngine(2, 3, true);

    private static List<String> run(TopKEngine engine, CsrMatrix a, PairScorer scorer, int k) {
        return Output.of(engine, a, a.transpose(), scorer, k, 0, a.rows());
    }

    @Test
    void cosineOfASmallMatrixByHand() {
        // Row 0 = (1,1,0)/√2, row 1 = (1,0,0), row 2 = (0,0,1), row 3 = (1,1,0)/√2 (duplicate of row 0).
        CsrMatrix a = Dense.toCsr(new float[][] {{1, 1, 0}, {1, 0, 0}, {0, 0, 1}, {1, 1, 0}}, 3).normalizeRows();
        float half = (float) (2 * ((double) (float) Math.sqrt(0.5) * (float) Math.sqrt(0.5)));
        float oneOverRoot2 = (float) ((double) (float) (1 / Math.sqrt(2)) * 1f);
        assertEquals(List.of(
                Output.line(0, new int[] {3, 1}, new float[] {half, oneOverRoot2}, 2),
                Output.line(1, new int[] {0, 3}, new float[] {oneOverRoot2, oneOverRoot2}, 2),
                Output.line(2, new int[0], new float[0], 0),
                Output.line(3, new int[] {0, 1}, new float[] {half, oneOverRoot2}, 2)),
                run(ENGINE, a, PairScorer.cosine(), 5));
    }

    @Test
    void countAndJaccardWithAMinimumOfCommonColumns() {
        CsrMatrix a = Dense.toCsr(new float[][] {{1, 1, 1, 0}, {1, 1, 0, 0}, {0, 0, 1, 1}}, 4);
        assertEquals(List.of("0: 1=2.0/40000000", "1: 0=2.0/40000000", "2:"), run(ENGINE, a, PairScorer.count().withMinCommon(2), 3));
        assertEquals(List.of(
                Output.line(0, new int[] {1, 2}, new float[] {2f / 3, 1f / 4}, 2),
                Output.line(1, new int[] {0}, new float[] {2f / 3}, 1),
                Output.line(2, new int[] {0}, new float[] {1f / 4}, 1)),
                run(ENGINE, a, PairScorer.jaccard(), 3));
    }

    @Test
    void edgeShapes() {
        CsrMatrix empty = CsrMatrix.of(0, 0, new int[] {0}, new int[0], new float[0]);
        assertEquals(List.of(), run(ENGINE, empty, PairScorer.dot(), 3));
        CsrMatrix oneRow = Dense.toCsr(new float[][] {{1, 2}}, 2);
        assertEquals(List.of("0:"), run(ENGINE, oneRow, PairScorer.dot(), 3));
        CsrMatrix allZero = Dense.toCsr(new float[4][3], 3);
        assertEquals(List.of("0:", "1:", "2:", "3:"), run(ENGINE, allZero, PairScorer.jaccard(), 2));
        CsrMatrix noColumns = CsrMatrix.of(2, 0, new int[] {0, 0, 0}, new int[0], new float[0]);
        assertEquals(List.of("0:", "1:"), run(new TopKEngine(4, 1), noColumns, PairScorer.count(), 1));
    }

    @Test
    void anEmptyRangeEmitsNothingAndReportsNoBlock() {
        CsrMatrix a = Dense.toCsr(new float[][] {{1, 2}, {2, 1}}, 2);
        List<int[]> blocks = new ArrayList<>();
        RunStats stats = ENGINE.run(a, a.transpose(), PairScorer.dot(), 1, 1, 1,
                (row, n, s, c) -> { throw new AssertionError("row " + row); }, (done, total) -> blocks.add(new int[] {done, total}));
        assertEquals(0, stats.rows());
        assertTrue(blocks.isEmpty());
    }

    @Test
    void progressIsReportedAfterEveryBlock() {
        CsrMatrix a = Dense.toCsr(new float[][] {{1, 1}, {1, 0}, {0, 1}, {1, 1}, {1, 0}, {0, 1}, {1, 1}}, 2);
        List<String> reports = new ArrayList<>();
        new TopKEngine(2, 3).run(a, a.transpose(), PairScorer.dot(), 2, 1, 7, (row, n, s, c) -> { }, (done, total) -> reports.add(done + "/" + total));
        assertEquals(List.of("3/6", "6/6"), reports);
    }

    @Test
    void aFailingSinkStopsTheRunWithItsException() {
        CsrMatrix a = Dense.toCsr(new float[][] {{1, 1}, {1, 0}, {0, 1}, {1, 1}}, 2);
        IllegalStateException failure = new IllegalStateException("disk full");
        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> new TopKEngine(3, 2).run(a, a.transpose(),
                PairScorer.dot(), 1, 0, 4, (row, n, s, c) -> { throw failure; }, BlockListener.NONE));
        assertSame(failure, thrown);
    }

    @Test
    void rejectsInvalidArguments() {
        CsrMatrix a = Dense.toCsr(new float[][] {{1, 1}, {0, 1}}, 2);
        CsrMatrix aT = a.transpose();
        NeighborSink sink = (row, n, s, c) -> { };
        assertThrows(IllegalArgumentException.class, () -> new TopKEngine(0, 1));
        assertThrows(IllegalArgumentException.class, () -> new TopKEngine(1, 0));
        assertThrows(IllegalArgumentException.class, () -> ENGINE.run(a, aT, PairScorer.dot(), 0, 0, 2, sink, BlockListener.NONE));
        assertThrows(IllegalArgumentException.class, () -> ENGINE.run(a, aT, PairScorer.dot(), 1, 0, 3, sink, BlockListener.NONE));
        assertThrows(IllegalArgumentException.class, () -> ENGINE.run(a, aT, PairScorer.dot(), 1, 2, 1, sink, BlockListener.NONE));
        assertThrows(IllegalArgumentException.class, () -> ENGINE.run(a, a, PairScorer.dot(), 1, 0, 2, sink, BlockListener.NONE));
        assertThrows(IllegalArgumentException.class, () -> DenseReference.run(a, a, PairScorer.dot(), 1, 0, 2, sink));
    }

    @Test
    void prunesOnlyPlainDotOnPositiveMatrices() {
        CsrMatrix positive = Dense.toCsr(new float[][] {{1, 1}}, 2);
        CsrMatrix signed = Dense.toCsr(new float[][] {{1, -1}}, 2);
        assertTrue(ENGINE.prunes(positive, PairScorer.cosine()));
        assertEquals(false, ENGINE.prunes(signed, PairScorer.dot()));
        assertEquals(false, ENGINE.prunes(positive, PairScorer.dot().withMinCommon(2)));
        assertEquals(false, ENGINE.prunes(positive, PairScorer.count()));
        assertEquals(false, new TopKEngine(1, 1, false).prunes(positive, PairScorer.dot()));
    }

    /**
     * Products 2^-53, 2^-53, 2^-24, 1 in column order sum to 1 + 2^-24 + 2^-52, just above the
     * float midpoint 1 + 2^-24, hence 1 + 2^-23; in the pruned path's order (largest potential
     * first) the tiny products are absorbed and the sum rounds to 1. The canonical one must win.
     */
    @Test
    void prunedScoresFollowTheCanonicalSummationOrder() {
        float tiny = 0x1p-53f;
        CsrMatrix a = Dense.toCsr(new float[][] {{tiny, tiny, 0x1p-24f, 1}, {1, 1, 1, 1}}, 4);
        String expected = Output.line(0, new int[] {1}, new float[] {1 + 0x1p-23f}, 1);
        assertEquals(expected, BruteForceOracle.topK(Dense.toDense(a), PairScorer.dot(), 1, 0, 1).get(0));
        assertEquals(expected, run(new TopKEngine(1, 1, true), a, PairScorer.dot(), 1).get(0));
        assertEquals(expected, run(new TopKEngine(1, 1, false), a, PairScorer.dot(), 1).get(0));
    }

    /**
     * Rows pair up through a rare heavy column and all share one light column: with K = 1 the
     * pruned search must stop before the shared column's long posting, and still agree exactly.
     */
    @Test
    void pruningSkipsALongLightPostingWhenTheTopKIsAlreadyDecided() {
        int rows = 400;
        float[][] dense = new float[rows][rows / 2 + 1];
        for (int i = 0; i < rows; i++) {
            dense[i][i / 2] = 1f + (i % 7);
            dense[i][rows / 2] = 0.01f;
        }
        CsrMatrix a = Dense.toCsr(dense, rows / 2 + 1).normalizeRows();
        CsrMatrix aT = a.transpose();
        Output pruned = new Output(1, 0);
        RunStats prunedStats = new TopKEngine(2, 64, true).run(a, aT, PairScorer.cosine(), 1, 0, rows, pruned, BlockListener.NONE);
        Output unpruned = new Output(1, 0);
        RunStats unprunedStats = TopKEngine.scatterOnly(2, 64).run(a, aT, PairScorer.cosine(), 1, 0, rows, unpruned, BlockListener.NONE);
        assertEquals(unpruned.lines(), pruned.lines());
        assertEquals(BruteForceOracle.topK(Dense.toDense(a), PairScorer.cosine(), 1, 0, rows), pruned.lines());
        assertTrue(prunedStats.pruned());
        assertTrue(prunedStats.earlyStops() > rows / 2, prunedStats.toString());
        assertTrue(prunedStats.postingsScanned() * 10 < unprunedStats.postingsScanned(), prunedStats + " vs " + unprunedStats);
    }

    @Test
    void denseReferenceNeedsFourBytesPerPair() {
        assertEquals(0, DenseReference.bytesNeeded(0));
        assertEquals(4L * 50_000 * 50_000, DenseReference.bytesNeeded(50_000));
    }
}
