package dev.recstage.core.io;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recstage.core.cli.ExitCode;
import dev.recstage.core.cli.StageException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DiskPlanTest {
    private static final long MB = 1L << 20;

    @Test
    void totalIsTheFilesPlusTheManifestAndABlockPerFile() {
        DiskPlan plan = new DiskPlan().file("a.arrow", 10 * MB).file("b.arrow", 5 * MB).file("a.arrow", MB);
        assertEquals(Map.of("a.arrow", 11 * MB, "b.arrow", 5 * MB), plan.files());
        assertEquals(16 * MB + DiskPlan.MANIFEST_BYTES + 2 * DiskPlan.BLOCK_BYTES, plan.totalBytes());
    }

    @Test
    void aVolumeWithRoomPasses() {
        DiskPlan plan = new DiskPlan().file("a.arrow", 10 * MB);
        assertDoesNotThrow(() -> plan.requireFits(plan.totalBytes(), Path.of("/data/run/content")));
    }

    @Test
    void aVolumeTooSmallIsExitFiveSayingNeededFreeAndWhere() {
        DiskPlan plan = new DiskPlan().file("content_neighbors.arrow", 2300 * MB);
        StageException e = assertThrows(StageException.class, () -> plan.requireFits(1024 * MB, Path.of("/data/run/content")));
        assertEquals(ExitCode.DISK_SPACE, e.exitCode());
        assertTrue(e.getMessage().startsWith("not enough disk space for --out /data/run/content: the run writes up to 2300.3 MB "
                + "[content_neighbors.arrow 2300.0 MB, "), e.getMessage());
        assertTrue(e.getMessage().endsWith("but only 1024.0 MB are free on the volume of /data/run "
                + "(free space there, or choose --out on a larger volume)"), e.getMessage());
    }
}
