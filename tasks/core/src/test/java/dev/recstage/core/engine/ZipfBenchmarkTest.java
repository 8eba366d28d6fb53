package dev.recstage.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
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
        int repeats = size("repeats", 3);
        for (String mode : System.getProperty("recstage.bench.modes", "scatter,hybrid,pruned").split(",")) {
            TopKEngine engine = mode.equals("scatter") ? TopKEngine.scatterOnly(maxThreads, 1000)
                    : new TopKEngine(maxThreads, 1000, mode.equals("pruned"));
            long[] nanos = new long[repeats];
            long[] cpu = new long[repeats];
            RunStats stats = null;
            for (int repeat = 0; repeat < repeats; repeat++) {
                Checksum sink = new Checksum();
                long start = System.nanoTime();
                long cpuStart = cpuNanos();
                stats = engine.run(a, aT, PairScorer.cosine(), k, 0, rows, sink, BlockListener.NONE);
                nanos[repeat] = System.nanoTime() - start;
                cpu[repeat] = cpuNanos() - cpuStart;
                if (reference == 0) {
                    reference = sink.value;
                }
                assertEquals(reference, sink.value, "output differs: " + mode);
                System.out.printf(Locale.ROOT, "%-8s threads=%d  wall %6.2f s  cpu %6.2f s  %s%n", mode, maxThreads,
                        nanos[repeat] / 1e9, cpu[repeat] / 1e9, stats);
            }
            Arrays.sort(nanos);
            Arrays.sort(cpu);
            System.out.printf(Locale.ROOT, "%-8s median wall %.2f s, cpu %.2f s%n", mode, nanos[repeats / 2] / 1e9, cpu[repeats / 2] / 1e9);
        }
    }

    /** CPU time of the whole process (all threads), less sensitive than wall time to other jobs on the machine. */
    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
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
