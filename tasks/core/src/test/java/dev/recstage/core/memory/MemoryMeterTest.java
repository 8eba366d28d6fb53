package dev.recstage.core.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.Test;

class MemoryMeterTest {
    private static final long MI = 1L << 20;

    @Test
    void residentSetIsReadOnLinux() {
        assumeTrue(Files.isReadable(Path.of("/proc/self/status")), "not Linux: no /proc/self/status");
        try (BufferAllocator allocator = new RootAllocator()) {
            MemorySnapshot snapshot = new MemoryMeter(allocator).snapshot();
            assertTrue(snapshot.rssBytes() > 10 * MI, "a JVM's RSS is tens of MB: " + snapshot.describe());
            assertTrue(snapshot.peakRssBytes() >= snapshot.rssBytes(), snapshot.describe());
            assertTrue(snapshot.heapUsedBytes() > 0 && snapshot.peakHeapBytes() >= snapshot.heapUsedBytes(), snapshot.describe());
        }
    }

    @Test
    void arrowFiguresTrackAnAllocation() {
        try (BufferAllocator allocator = new RootAllocator()) {
            MemoryMeter meter = new MemoryMeter(allocator);
            assertEquals(0, meter.snapshot().arrowBytes());
            try (ArrowBuf buffer = allocator.buffer(8 * MI)) {
                MemorySnapshot during = meter.snapshot();
                assertTrue(during.arrowBytes() >= 8 * MI, during.describe());
                assertTrue(during.inUseBytes() >= during.heapUsedBytes() + 8 * MI, during.describe());
            }
            MemorySnapshot after = meter.snapshot();
            assertEquals(0, after.arrowBytes());
            assertTrue(after.peakArrowBytes() >= 8 * MI, "the peak remembers the buffer: " + after.describe());
        }
    }
}
