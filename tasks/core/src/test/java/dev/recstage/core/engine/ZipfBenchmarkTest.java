package dev.recstage.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Timing harness (not a test of speed: nothing about time is asserted). Enable with
 * {@code -Drecstage.bench=true}; sizes via {@code recstage.bench.rows}, {@code .vocab},
 * {@code .tokens}, {@code .k}, {@code .threads}:
 *
 * <pre>./mvnw -B -pl tasks/core test -Dtest=ZipfBenchmarkTest -Drecstage.bench=true -Dsurefire.failIfNoSpecifiedTests=false</pre>
 *
 * Each configuration runs twice and reports the second (warm) run; outputs are checked equal.
 */
@EnabledIfSystemProperty(named = "recstage.bench", matches = "true")
class ZipfBenchmarkTest {

    private static int size(String name, int fallback) {
        return Integer.getInteger("recstage.bench." + name, fallback);
    }

    @Test
    void pruningAndThreadScalingOnZipfTfIdf() {
        int rows = size("rows", 50_000);
        int vocab = size("vocab", 30_000);
        int tokens = size("tokens", 40);
        int k = size("k", 200);
        int maxThreads = size("threads", 2);
        CsrMatrix a = ZipfTfIdf.generate(rows, vocab, 1.1, tokens, 42);
        CsrMatrix aT = a.transpose();
        long work = 0;
        for (int t = 0; t < aT.rows(); t++) {
            work += (long) aT.rowNnz(t) * aT.rowNnz(t);
        }
        System.out.printf(Locale.ROOT, "zipf tf-idf: %d rows, vocab %d, %d tokens/row, nnz %d, sum df^2 %.3g, K %d%n",
                rows, vocab, tokens, a.nnz(), (double) work, k);
        long reference = 0;
        for (boolean pruning : new boolean[] {false, true}) {
            for (int threads = 1; threads <= maxThreads; threads++) {
                TopKEngine engine = new TopKEngine(threads, 1000, pruning);
                long checksum = 0;
                RunStats stats = null;
                long nanos = 0;
                for (int repeat = 0; repeat < 2; repeat++) {
                    Checksum sink = new Checksum();
                    long start = System.nanoTime();
                    stats = engine.run(a, aT, PairScorer.cosine(), k, 0, rows, sink, BlockListener.NONE);
                    nanos = System.nanoTime() - start;
                    checksum = sink.value;
                }
                if (reference == 0) {
                    reference = checksum;
                }
                assertEquals(reference, checksum, "output differs: pruning=" + pruning + " threads=" + threads);
                System.out.printf(Locale.ROOT, "pruning=%-5b threads=%d  %7.2f s  postings %.3g  candidates %.3g  rescored %.3g  early stops %d/%d%n",
                        pruning, threads, nanos / 1e9, (double) stats.postingsScanned(), (double) stats.candidates(),
                        (double) stats.rescored(), stats.earlyStops(), stats.rows());
            }
        }
    }

    /** An order-sensitive hash of everything emitted. */
    private static final class Checksum implements NeighborSink {
        long value = 17;

        @Override
        public void accept(int row, int[] neighbors, float[] scores, int count) {
            value = value * 31 + row;
            for (int r = 0; r < count; r++) {
                value = value * 31 + neighbors[r];
                value = value * 31 + Float.floatToRawIntBits(scores[r]);
            }
            value = value * 31 + count;
        }
    }
}
