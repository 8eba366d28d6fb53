package dev.recstage.core.cli;

import io.smallrye.config.ConfigValidationException;
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
        err.println("error: " + failure.getClass().getSimpleName() + ": " + oneLine(String.valueOf(failure.getMessage())));
        if (System.getenv("RECSTAGE_DEBUG") != null) {
            failure.printStackTrace(err);
        } else {
            err.println("(set RECSTAGE_DEBUG=1 for the stack trace)");
        }
        return ExitCode.FAILURE;
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
