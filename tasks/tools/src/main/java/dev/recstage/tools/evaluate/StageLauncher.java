package dev.recstage.tools.evaluate;

import dev.recstage.core.cli.ExitCode;
import dev.recstage.core.cli.StageException;
import dev.recstage.core.stage.StopRequest;
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
public final class StageLauncher implements StageRunner {
    private static final Logger LOG = Logger.getLogger("recstage");
    /** Set by the launcher for evaluate itself; a stage must get its own limit, not evaluate's. */
    private static final List<String> EVALUATE_ONLY = List.of("RECSTAGE_MEMORY_LIMIT", "RECSTAGE_MAX_HEAP");

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

    @Override
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
            // Watched, so that a stop of evaluate stops the stage too rather than leave it running.
            Process process = StopRequest.start(builder);
            try {
                code = process.waitFor();
            } finally {
                StopRequest.finished(process);
            }
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
        Cost cost = Cost.of(stage, seconds, out, false);
        LOG.infof("evaluate: %s done in %.2f s (%.2f s in its steps), peak RSS %d MB", label, seconds, cost.stepSeconds(), cost.peakRssBytes() >> 20);
        return cost;
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
