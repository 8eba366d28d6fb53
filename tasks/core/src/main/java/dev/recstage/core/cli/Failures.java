package dev.recstage.core.cli;

import dev.recstage.core.io.IoErrors;
import dev.recstage.core.io.OutputDirectory;
import io.smallrye.config.ConfigValidationException;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns any throwable that ends a stage into an exit code and one line on stderr.
 * Used both for failures during start-up (configuration) and during the command itself.
 */
public final class Failures {
    private static final Pattern WRITTEN_FILE = Pattern.compile("^cannot (?:write|finish|create|commit(?: the output directory)?) (\\S+)");
    private static final Pattern CONFIG_PROPERTY = Pattern.compile("config property ([\\w.-]+)");

    private Failures() {
    }

    public static int report(Throwable failure, PrintStream err) {
        StageException stage = find(failure, StageException.class);
        if (stage != null) {
            err.println("error: " + stage.getMessage());
            return stage.exitCode();
        }
        Throwable config = configFailure(failure);
        if (config != null) {
            String message = oneLine(config.getMessage());
            err.println("error: configuration: " + variableOf(message) + message
                    + " (check the environment variables and options of this stage)");
            return ExitCode.USAGE;
        }
        if (find(failure, OutOfMemoryError.class) != null) {
            err.println("error: out of memory (" + failure.getMessage()
                    + "); lower SIMILARITY_BATCH_SIZE or raise the memory limit");
            return ExitCode.MEMORY_BUDGET;
        }
        IOException noSpace = IoErrors.noSpaceCause(failure);
        if (noSpace != null) {
            String file = fileOf(failure, noSpace);
            err.println("error: " + (file == null ? "" : file + ": ") + "no space left on device (free space on that volume, "
                    + "or choose --out on a larger one; the previous output is kept)");
            return ExitCode.DISK_SPACE;
        }
        IOException io = find(failure, IOException.class);
        if (io != null) {
            String context = wrapperMessage(failure);
            String file = IoErrors.fileOf(io);
            String what = context != null ? context : file;
            err.println("error: " + OutputDirectory.publicText(oneLine((what == null ? "" : what + ": ") + IoErrors.reason(io))));
            hint(failure, err);
            return ExitCode.FAILURE;
        }
        err.println("error: " + failure.getClass().getSimpleName() + ": " + oneLine(String.valueOf(failure.getMessage())));
        hint(failure, err);
        return ExitCode.FAILURE;
    }

    private static void hint(Throwable failure, PrintStream err) {
        if (System.getenv("RECSTAGE_DEBUG") != null) {
            failure.printStackTrace(err);
        } else {
            err.println("(set RECSTAGE_DEBUG=1 for the stack trace)");
        }
    }

    /** The file being written when the volume filled: the one the system names, else the one of a "cannot write FILE" wrapper. */
    private static String fileOf(Throwable failure, IOException noSpace) {
        String named = IoErrors.fileOf(noSpace);
        if (named != null) {
            return named;
        }
        String context = wrapperMessage(failure);
        Matcher file = WRITTEN_FILE.matcher(context == null ? "" : context);
        return file.find() ? OutputDirectory.publicText(file.group(1)) : null;
    }

    /** The first message of our own wrappers ("cannot write FILE", "cannot commit ..."), which say what was being done. */
    private static String wrapperMessage(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().startsWith("cannot ")) {
                return t.getMessage();
            }
        }
        return null;
    }

    private static Throwable configFailure(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ConfigValidationException || t instanceof NoSuchElementException) {
                return t;
            }
            if (t.getMessage() != null && t.getMessage().startsWith("SRCFG")) {
                return t;
            }
        }
        return null;
    }

    /**
     * SmallRye names the property ({@code similarity.top-k}); people set the environment variable
     * ({@code SIMILARITY_TOP_K}), so the message leads with that, e.g. {@code SIMILARITY_TOP_K: }.
     */
    private static String variableOf(String message) {
        Matcher property = CONFIG_PROPERTY.matcher(message);
        return property.find() ? property.group(1).toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_") + ": " : "";
    }

    private static <T extends Throwable> T find(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    private static String oneLine(String message) {
        return message == null ? "" : message.replaceAll("\\s*\\R\\s*", " ").trim();
    }
}
