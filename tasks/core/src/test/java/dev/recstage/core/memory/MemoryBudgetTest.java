package dev.recstage.core.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recstage.core.cli.ExitCode;
import dev.recstage.core.cli.StageException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MemoryBudgetTest {
    private static final long GI = 1L << 30;
    private static final long HEAP = 3 * GI;

    @Test
    void physicalMemoryWhenNothingElseLimits() {
        MemoryBudget budget = MemoryBudget.from(24 * GI, Long.MAX_VALUE, null, HEAP);
        assertEquals(24 * GI, budget.limitBytes());
        assertEquals("physical memory", budget.limitSource());
        assertEquals(HEAP, budget.maxHeapBytes());
    }

    @Test
    void containerLimitBelowPhysicalMemory() {
        MemoryBudget budget = MemoryBudget.from(24 * GI, 2 * GI, "", HEAP);
        assertEquals(2 * GI, budget.limitBytes());
        assertEquals("container limit (cgroup)", budget.limitSource());
    }

    @Test
    void containerLimitEqualToThePhysicalMemoryTheJvmReportsIsTheCgroups() {
        // In a container the JVM's physical memory is the cgroup limit itself (seen under podman --memory 1g).
        MemoryBudget budget = MemoryBudget.from(GI, GI, null, HEAP);
        assertEquals(GI, budget.limitBytes());
        assertEquals("container limit (cgroup)", budget.limitSource());
    }

    @Test
    void recstageMemoryLimitWhenItIsTheSmallest() {
        MemoryBudget budget = MemoryBudget.from(24 * GI, 2 * GI, "512Mi", HEAP);
        assertEquals(512L << 20, budget.limitBytes());
        assertEquals("RECSTAGE_MEMORY_LIMIT", budget.limitSource());
        assertTrue(budget.describe().startsWith("memory limit 512.0 MB (RECSTAGE_MEMORY_LIMIT), max heap 3072.0 MB"), budget.describe());
    }

    @Test
    void theLimitIsNamedAsTheUserSetIt() {
        MemoryBudget budget = MemoryBudget.from(24 * GI, 2 * GI, "512Mi", "FEATURES_MEMORY_LIMIT", HEAP);
        assertEquals("FEATURES_MEMORY_LIMIT", budget.limitSource());
        assertTrue(budget.describe().startsWith("memory limit 512.0 MB (FEATURES_MEMORY_LIMIT), max heap"), budget.describe());
        StageException e = assertThrows(StageException.class,
                () -> MemoryBudget.from(24 * GI, Long.MAX_VALUE, "lots", "FEATURES_MEMORY_LIMIT from .env.memory", HEAP));
        assertTrue(e.getMessage().startsWith("FEATURES_MEMORY_LIMIT from .env.memory: 'lots' is not a memory size"), e.getMessage());
    }

    @Test
    void recstageMemoryLimitCannotRaiseTheContainerLimit() {
        MemoryBudget budget = MemoryBudget.from(24 * GI, 2 * GI, "4Gi", HEAP);
        assertEquals(2 * GI, budget.limitBytes());
        assertEquals("container limit (cgroup)", budget.limitSource());
    }

    @Test
    void malformedRecstageMemoryLimitIsAUsageError() {
        StageException e = assertThrows(StageException.class, () -> MemoryBudget.from(24 * GI, Long.MAX_VALUE, "lots", HEAP));
        assertEquals(ExitCode.USAGE, e.exitCode());
        assertTrue(e.getMessage().startsWith("RECSTAGE_MEMORY_LIMIT: 'lots' is not a memory size"), e.getMessage());
    }

    @Test
    void cgroupFiles(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("memory.max");
        Files.writeString(file, "max\n");
        assertEquals(Long.MAX_VALUE, MemoryBudget.readLimit(file));
        Files.writeString(file, "536870912\n");
        assertEquals(512L << 20, MemoryBudget.readLimit(file));
        Files.writeString(file, "9223372036854771712\n"); // cgroup v1's "unlimited"
        assertEquals(Long.MAX_VALUE, MemoryBudget.readLimit(file));
        Files.writeString(file, "garbage");
        assertEquals(Long.MAX_VALUE, MemoryBudget.readLimit(file));
        assertEquals(Long.MAX_VALUE, MemoryBudget.readLimit(dir.resolve("absent")));
    }

    @Test
    void containerLimitOfCgroupV2(@TempDir Path root) throws Exception {
        Files.writeString(root.resolve("memory.max"), "1073741824\n");
        assertEquals(GI, MemoryBudget.containerLimit(root));
        Files.writeString(root.resolve("memory.max"), "max\n");
        assertEquals(Long.MAX_VALUE, MemoryBudget.containerLimit(root));
    }

    @Test
    void containerLimitOfCgroupV1(@TempDir Path root) throws Exception {
        Files.createDirectories(root.resolve("memory"));
        Files.writeString(root.resolve("memory/memory.limit_in_bytes"), "268435456\n");
        assertEquals(256L << 20, MemoryBudget.containerLimit(root));
    }

    @Test
    void containerLimitOfAHybridKernelIsTheV1LimitWhenV2HasNoMemoryController(@TempDir Path root) throws Exception {
        // The kernel of the container tests: v1 controllers plus a cgroup2 mount without memory files.
        Files.createDirectories(root.resolve("memory"));
        Files.createDirectories(root.resolve("unified"));
        Files.writeString(root.resolve("memory/memory.limit_in_bytes"), "2147483648\n");
        assertEquals(2 * GI, MemoryBudget.containerLimit(root));
        assertEquals(Long.MAX_VALUE, MemoryBudget.containerLimit(root.resolve("unified")));
    }

    @Test
    void detectGivesAPositiveLimitNoMoreThanThePhysicalMemory() {
        MemoryBudget budget = MemoryBudget.detect();
        assertTrue(budget.limitBytes() > 0 && budget.maxHeapBytes() > 0, budget.describe());
        // The usable heap is the JVM's own figure; the max heap is what it reserves, at least that (more with a survivor space kept back).
        assertEquals(Runtime.getRuntime().maxMemory(), budget.usableHeapBytes(), budget.describe());
        assertTrue(budget.maxHeapBytes() >= budget.usableHeapBytes(), budget.describe());
        if (java.lang.management.ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            assertTrue(budget.limitBytes() <= os.getTotalMemorySize(), budget.describe());
        }
    }
}
