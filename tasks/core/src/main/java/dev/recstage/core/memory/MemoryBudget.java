package dev.recstage.core.memory;

import com.sun.management.HotSpotDiagnosticMXBean;
import dev.recstage.core.cli.StageException;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How much memory this process may use: the smallest of the container limit (cgroup v2
 * {@code memory.max}, v1 {@code memory.limit_in_bytes}), {@code RECSTAGE_MEMORY_LIMIT} (set by
 * the launcher from {@code <STAGE>_MEMORY_LIMIT} for local runs) and the physical memory; plus the
 * JVM's heap: its maximum (-Xmx), all of which can be resident, and the usable part of it that
 * heap structures must fit in. The launcher names the variable the limit came from in
 * {@code RECSTAGE_MEMORY_LIMIT_SOURCE}, so that logs and errors name what the user set.
 *
 * @param maxHeapBytes    the heap the JVM may grow to: HotSpot's MaxHeapSize (-Xmx, or MaxRAMPercentage of the limit)
 * @param usableHeapBytes what of it can hold objects: {@link Runtime#maxMemory()}, which leaves out the survivor
 *                        space the collector keeps empty (10 MB of a 1 GB heap with the stages' young generation)
 */
public record MemoryBudget(long limitBytes, String limitSource, long maxHeapBytes, long usableHeapBytes) {
    private static final Path CGROUP_ROOT = Path.of("/sys/fs/cgroup");
    /** cgroup v1 reports "no limit" as a huge number rather than "max". */
    private static final long UNLIMITED = Long.MAX_VALUE / 2;

    /** A budget whose whole max heap is usable. */
    public MemoryBudget(long limitBytes, String limitSource, long maxHeapBytes) {
        this(limitBytes, limitSource, maxHeapBytes, maxHeapBytes);
    }

    public static MemoryBudget detect() {
        long usable = Runtime.getRuntime().maxMemory();
        MemoryBudget found = from(physicalMemory(), containerLimit(CGROUP_ROOT),
                System.getenv("RECSTAGE_MEMORY_LIMIT"), System.getenv("RECSTAGE_MEMORY_LIMIT_SOURCE"), Math.max(maxHeap(), usable));
        return new MemoryBudget(found.limitBytes(), found.limitSource(), found.maxHeapBytes(), usable);
    }

    static MemoryBudget from(long physicalBytes, long cgroupBytes, String envLimit, long maxHeapBytes) {
        return from(physicalBytes, cgroupBytes, envLimit, null, maxHeapBytes);
    }

    /**
     * The memory limit of this process's cgroup under {@code root} (the cgroup file system as a
     * container sees it): cgroup v2's {@code memory.max} or v1's {@code memory/memory.limit_in_bytes},
     * whichever the kernel has (hybrid kernels mount both); {@link Long#MAX_VALUE} when neither limits.
     */
    static long containerLimit(Path root) {
        return Math.min(readLimit(root.resolve("memory.max")), readLimit(root.resolve("memory/memory.limit_in_bytes")));
    }

    /**
     * The budget from what {@link #detect()} reads: physical memory, the cgroup limit
     * ({@link Long#MAX_VALUE} when none), the {@code RECSTAGE_MEMORY_LIMIT} text (null or blank
     * when unset), the name of the variable it was set from (null or blank: itself) and the JVM's max heap.
     */
    static MemoryBudget from(long physicalBytes, long cgroupBytes, String envLimit, String envSource, long maxHeapBytes) {
        String envName = envSource == null || envSource.isBlank() ? "RECSTAGE_MEMORY_LIMIT" : envSource.strip();
        long limit = physicalBytes;
        String source = "physical memory";
        // Not below but at most: inside a container the JVM reports the container limit as its
        // physical memory, and the log should name the cgroup as the source of that figure.
        if (cgroupBytes <= limit) {
            limit = cgroupBytes;
            source = "container limit (cgroup)";
        }
        if (envLimit != null && !envLimit.isBlank()) {
            long fromEnv;
            try {
                fromEnv = ByteSize.parse(envLimit);
            } catch (IllegalArgumentException e) {
                throw StageException.usage(envName + ": " + e.getMessage());
            }
            if (fromEnv < limit) {
                limit = fromEnv;
                source = envName;
            }
        }
        return new MemoryBudget(limit, source, maxHeapBytes);
    }

    public String describe() {
        return "memory limit " + ByteSize.mb(limitBytes) + " (" + limitSource + "), max heap " + ByteSize.mb(maxHeapBytes)
                + (usableHeapBytes == maxHeapBytes ? "" : " (usable " + ByteSize.mb(usableHeapBytes) + ")");
    }

    /** A cgroup limit file's value; {@link Long#MAX_VALUE} for none, unreadable or absent. */
    static long readLimit(Path file) {
        try {
            String text = Files.readString(file).trim();
            if (text.equals("max")) {
                return Long.MAX_VALUE;
            }
            long value = Long.parseLong(text);
            return value >= UNLIMITED ? Long.MAX_VALUE : value;
        } catch (IOException | NumberFormatException | SecurityException e) {
            return Long.MAX_VALUE;
        }
    }

    /** HotSpot's MaxHeapSize; 0 where the option cannot be read (then the usable heap stands for it). */
    private static long maxHeap() {
        try {
            return Long.parseLong(ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).getVMOption("MaxHeapSize").getValue());
        } catch (RuntimeException e) {
            return 0;
        }
    }

    private static long physicalMemory() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getTotalMemorySize();
        }
        return Long.MAX_VALUE;
    }
}
