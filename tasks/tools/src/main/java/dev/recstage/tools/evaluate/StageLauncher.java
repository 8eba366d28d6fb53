package dev.recstage.tools.evaluate;

import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import dev.recstage.core.cli.ExitCode;
import dev.recstage.core.cli.StageException;
import dev.recstage.core.io.Json;
import dev.recstage.core.io.Manifest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Runs a stage as its own process through {@code bin/recstage}, exactly as the DAGs run it: its
 * own JVM, its own memory limit from {@code .env.memory}, so that the peak RSS in its manifest is
 * the stage's alone. Output goes to a log file per run.
 */
public final class StageLauncher {
    private static final Logger LOG = Logger.getLogger("recstage");
    /** Set by the launcher for evaluate itself; a stage must get its own limit, not evaluate's. */
    private static final List<String> EVALUATE_ONLY = List.of("RECSTAGE_MEMORY_LIMIT", "RECSTAGE_MAX_HEAP");

    /**
     * What one stage run cost: wall time of the whole process, the part of it in the stage's own
     * steps (the rest is JVM start-up and framework boot), and the manifest's peak RSS.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Cost(String stage, double wallSeconds, double stepSeconds, long peakRssBytes, boolean reused) {
        Cost asReused() {
            return new Cost(stage, wallSeconds, stepSeconds, peakRssBytes, true);
        }
    }

    private final Path launcher;
    private final Path logs;

    public StageLauncher(Path launcher, Path logs) {
        this.launcher = launcher;
        this.logs = logs;
    }

    /** {@code $RECSTAGE_HOME/bin/recstage} (set by the launcher), else the first one above the working directory. */
    public static Path findLauncher() {
        String home = System.getenv("RECSTAGE_HOME");
        if (home != null && Files.isExecutable(Path.of(home, "bin", "recstage"))) {
            return Path.of(home, "bin", "recstage");
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isExecutable(dir.resolve("bin/recstage"))) {
                return dir.resolve("bin/recstage");
            }
        }
        throw StageException.usage("cannot find bin/recstage: run evaluate through it or set RECSTAGE_HOME");
    }

    /** Runs {@code stage args} with {@code env} on top of this process's environment; exit 0 or a StageException with the stage's code. */
    public Cost run(String label, String stage, Map<String, String> env, List<String> args, Path out) {
        List<String> command = new ArrayList<>();
        command.add(launcher.toString());
        command.add(stage);
        command.addAll(args);
        command.addAll(List.of("--out", out.toString()));
        Path log = logs.resolve(label + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        EVALUATE_ONLY.forEach(builder.environment()::remove);
        builder.environment().putAll(env);
        LOG.infof("evaluate: %s: %s %s%s", label, stage, String.join(" ", args), env.isEmpty() ? "" : " with " + env);
        long start = System.nanoTime();
        int code;
        try {
            Files.createDirectories(logs);
            code = builder.start().waitFor();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + launcher, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while " + label + " ran", e);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (code != 0) {
            throw new StageException(code == ExitCode.USAGE || code == ExitCode.INPUT_DATA || code == ExitCode.MEMORY_BUDGET ? code : ExitCode.FAILURE,
                    stage + " (" + label + ") failed with exit " + code + ": " + lastLine(log));
        }
        Manifest manifest = manifest(out);
        long rss = manifest.memory == null ? 0 : manifest.memory.peakRssBytes();
        double steps = manifest.steps.stream().mapToDouble(Manifest.Step::seconds).sum();
        LOG.infof("evaluate: %s done in %.2f s (%.2f s in its steps), peak RSS %d MB", label, seconds, steps, rss >> 20);
        return new Cost(stage, Math.round(seconds * 1000) / 1000.0, Math.round(steps * 1000) / 1000.0, rss, false);
    }

    private static Manifest manifest(Path out) {
        try {
            return Json.MAPPER.readValue(out.resolve(Manifest.FILE_NAME).toFile(), Manifest.class);
        } catch (IOException e) {
            throw StageException.input(out.resolve(Manifest.FILE_NAME) + " is not a readable manifest: " + e.getMessage());
        }
    }

    /** The stage's own one-line error when it printed one, else its last line: the log itself goes with the staging directory. */
    private static String lastLine(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            String last = "(no output)";
            for (String line : lines) {
                if (line.startsWith("error:")) {
                    return line.substring("error:".length()).strip();
                }
                if (!line.isBlank()) {
                    last = line.strip();
                }
            }
            return last;
        } catch (IOException e) {
            return "(log unreadable)";
        }
    }
}
