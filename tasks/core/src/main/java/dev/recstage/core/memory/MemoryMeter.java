package dev.recstage.core.memory;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;

/**
 * Reads the process's memory: resident set (current and peak, from {@code /proc/self/status}),
 * heap (current, and peak as the sum of the heap pools' peaks, which can only over-state it) and
 * the Arrow allocator's current and peak allocation.
 */
public final class MemoryMeter {
    private static final Path STATUS = Path.of("/proc/self/status");
    private final BufferAllocator arrow;

    public MemoryMeter(BufferAllocator arrow) {
        this.arrow = arrow;
    }

    public MemorySnapshot snapshot() {
        long heapUsed = 0;
        long heapPeak = 0;
        List<MemoryPoolMXBean> pools = ManagementFactory.getMemoryPoolMXBeans();
        for (MemoryPoolMXBean pool : pools) {
            if (pool.getType() == MemoryType.HEAP && pool.isValid()) {
                heapUsed += pool.getUsage().getUsed();
                heapPeak += pool.getPeakUsage().getUsed();
            }
        }
        long[] rss = readRss();
        return new MemorySnapshot(rss[0], rss[1], heapUsed, heapPeak,
                arrow.getAllocatedMemory(), arrow.getPeakMemoryAllocation());
    }

    /** {VmRSS, VmHWM} in bytes; zeros where /proc is not there (not Linux). */
    private static long[] readRss() {
        long[] result = new long[2];
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith("VmRSS:")) {
                    result[0] = kib(line);
                } else if (line.startsWith("VmHWM:")) {
                    result[1] = kib(line);
                }
            }
        } catch (IOException | SecurityException e) {
            // Not fatal: the figures are reported as 0 and the manifest says so.
        }
        return result;
    }

    private static long kib(String line) {
        String digits = line.replaceAll("[^0-9]", "");
        return digits.isEmpty() ? 0 : Long.parseLong(digits) * 1024;
    }
}
