package dev.recstage.tools.evaluate;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.recstage.core.cli.StageException;
import dev.recstage.core.io.Json;
import dev.recstage.core.io.Manifest;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Runs one pipeline stage for evaluate: {@link StageLauncher} in its own process as the DAGs do,
 * {@link InProcessStages} in evaluate's JVM. Either way the stage's own command code runs, with
 * {@code env} on top of this process's environment, and its output directory is committed.
 */
interface StageRunner {
    /**
     * What one stage run cost: its wall time (a process's includes the JVM start-up and framework
     * boot), the part of it in the stage's own steps, and the manifest's peak RSS, which is the
     * stage's own for a process and evaluate's whole process's so far for an in-process run.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Cost(String stage, double wallSeconds, double stepSeconds, long peakRssBytes, boolean reused, boolean inProcess) {
        Cost asReused() {
            return new Cost(stage, wallSeconds, stepSeconds, peakRssBytes, true, inProcess);
        }

        /** The cost of a finished run from its wall time and the manifest it committed in {@code out}. */
        static Cost of(String stage, double seconds, Path out, boolean inProcess) {
            Manifest manifest = manifest(out);
            long rss = manifest.memory == null ? 0 : manifest.memory.peakRssBytes();
            double steps = manifest.steps.stream().mapToDouble(Manifest.Step::seconds).sum();
            return new Cost(stage, Math.round(seconds * 1000) / 1000.0, Math.round(steps * 1000) / 1000.0, rss, false, inProcess);
        }

        private static Manifest manifest(Path out) {
            try {
                return Json.MAPPER.readValue(out.resolve(Manifest.FILE_NAME).toFile(), Manifest.class);
            } catch (IOException e) {
                throw StageException.input(out.resolve(Manifest.FILE_NAME) + " is not a readable manifest: " + e.getMessage());
            }
        }
    }

    /** Runs {@code stage args --out out}; returns its cost, or throws a StageException with the stage's exit code. */
    Cost run(String label, String stage, Map<String, String> env, List<String> args, Path out);
}
