package dev.recstage.core.cli;

/**
 * An expected failure of a stage: its message is one line a person can act on and is printed to
 * stderr as is (no stack trace), and the process exits with {@link #exitCode()}.
 */
public class StageException extends RuntimeException {
    private final int exitCode;

    public StageException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public StageException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }

    /** Bad command line or configuration value (exit 2). */
    public static StageException usage(String message) {
        return new StageException(ExitCode.USAGE, message);
    }

    /** The input cannot be used (exit 3). */
    public static StageException input(String message) {
        return new StageException(ExitCode.INPUT_DATA, message);
    }

    /** The input cannot be used (exit 3), with the low-level cause kept for debugging. */
    public static StageException input(String message, Throwable cause) {
        return new StageException(ExitCode.INPUT_DATA, message, cause);
    }

    /**
     * A position in a text input, for messages like {@code items.csv:12:3: expected ...}.
     * Line and column are 1-based; a column of 0 means the whole line.
     */
    public static StageException inputAt(String file, long line, int column, String what) {
        String where = column > 0 ? file + ":" + line + ":" + column : file + ":" + line;
        return new StageException(ExitCode.INPUT_DATA, where + ": " + what);
    }

    /** The memory budget cannot hold the plan (exit 4). */
    public static StageException memory(String message) {
        return new StageException(ExitCode.MEMORY_BUDGET, message);
    }

    /** The run was asked to stop (SIGTERM) before it could commit (exit 143, as the JVM's own exit on the signal). */
    public static StageException stopped(String message) {
        return new StageException(ExitCode.STOPPED, message);
    }

    /** The volume has not enough room for the run's files (exit 5). */
    public static StageException diskSpace(String message) {
        return new StageException(ExitCode.DISK_SPACE, message);
    }
}
