package dev.recstage.core.cli;

/** Exit codes shared by every stage, so that an orchestrator can tell what to fix. */
public final class ExitCode {
    public static final int OK = 0;
    /** Anything not covered below: a bug or an environment failure (an I/O error other than a full disk). */
    public static final int FAILURE = 1;
    /** Bad command line or configuration value. */
    public static final int USAGE = 2;
    /** The input data cannot be used: missing file or column, wrong schema, too many rejected rows. */
    public static final int INPUT_DATA = 3;
    /** The memory budget cannot hold the plan of the run. */
    public static final int MEMORY_BUDGET = 4;
    /** The volume under --out has not enough room for the run's files, found before the work or while writing. */
    public static final int DISK_SPACE = 5;
    /** Asked to stop (SIGTERM): the JVM's own code for it, 128 + 15; the previous output is kept. */
    public static final int STOPPED = 143;

    private ExitCode() {
    }
}
