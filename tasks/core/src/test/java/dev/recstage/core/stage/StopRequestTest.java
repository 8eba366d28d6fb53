package dev.recstage.core.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recstage.core.cli.ExitCode;
import dev.recstage.core.cli.StageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stop hook and the run it cleans up after. The hook reads the watched run under StopRequest's
 * lock: a CI run caught it reading a run whose constructor had not yet set its output directory (a
 * SIGTERM 0.44 s into a run), so the hook failed and left the staging directory on the volume.
 */
class StopRequestTest {
    @TempDir
    Path parent;

    private List<String> names() throws IOException {
        try (Stream<Path> files = Files.list(parent)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void theHookCannotSeeARunBeforeItIsBuilt() throws Exception {
        CountDownLatch hookWaiting = new CountDownLatch(1);
        AtomicBoolean built = new AtomicBoolean();
        AtomicBoolean hookSawItBuilt = new AtomicBoolean();
        Thread hook = new Thread(() -> {
            hookWaiting.countDown();
            synchronized (StopRequest.class) {
                hookSawItBuilt.set(built.get());
            }
        });
        StageRun run = StopRequest.watch(parent.resolve("out"), output -> {
            hook.start();
            try {
                assertTrue(hookWaiting.await(10, TimeUnit.SECONDS));
                Thread.sleep(100);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            built.set(true);
            return new StageRun("test", output);
        });
        hook.join(10_000);
        assertTrue(hookSawItBuilt.get(), "the stop hook got the lock while the run was being built");
        run.close();
        assertEquals(List.of(), names());
    }

    @Test
    void aRunThatFailsToBuildLeavesNoStagingDirectory() throws IOException {
        IllegalStateException failure = new IllegalStateException("no allocator");
        IllegalStateException thrown = assertThrows(IllegalStateException.class,
                () -> StopRequest.watch(parent.resolve("out"), output -> {
                    throw failure;
                }));
        assertSame(failure, thrown);
        assertEquals(List.of(), names());
    }

    /**
     * evaluate --in-process runs each stage's run inside its own: a stop after a stage committed,
     * during the next one, must remove the next one's staging directory and evaluate's, not only
     * the innermost run's (the hook knew a single run, so evaluate's was left on the volume).
     */
    @AfterEach
    void forgetTheStop() {
        StopRequest.forgetStopForTests();
    }

    @Test
    void aStopRemovesEveryRunUnderWayAndKeepsWhatCommitted() throws IOException {
        StageRun evaluate = StopRequest.watch(parent.resolve("evaluate"), output -> new StageRun("evaluate", output));
        StageRun features = StopRequest.watch(parent.resolve("features"), output -> new StageRun("features", output));
        features.commit();
        features.close();
        StageRun content = StopRequest.watch(parent.resolve("content"), output -> new StageRun("content", output));
        assertEquals(3, names().size(), "evaluate's and content's staging directories beside features' output: " + names());

        StopRequest.stop();
        assertEquals(List.of("features"), names(), "a stop leaves only the committed output");
        content.close(); // closing after the stop neither fails nor reports the stop again
        evaluate.close();
        assertEquals(List.of("features"), names());
    }

    /** evaluate's stage processes: a stop ends the one running and refuses to start another. */
    @Test
    void aStopEndsTheStageProcessesARunStartedAndStartsNoOther() throws Exception {
        StageRun evaluate = StopRequest.watch(parent.resolve("evaluate"), output -> new StageRun("evaluate", output));
        Process stage = StopRequest.start(new ProcessBuilder("sleep", "60"));
        StopRequest.stop();
        assertTrue(stage.waitFor(5, TimeUnit.SECONDS), "the stage process was stopped");
        StageException refused = assertThrows(StageException.class, () -> StopRequest.start(new ProcessBuilder("sleep", "60")));
        assertEquals(ExitCode.STOPPED, refused.exitCode());
        evaluate.close();
        assertEquals(List.of(), names());
    }
}
