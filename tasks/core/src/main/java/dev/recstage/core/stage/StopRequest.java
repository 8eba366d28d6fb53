package dev.recstage.core.stage;

import dev.recstage.core.cli.ExitCode;
import dev.recstage.core.cli.StageException;
import dev.recstage.core.io.OutputDirectory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * SIGTERM (what Kubernetes sends on eviction, node drain or a task's timeout, before SIGKILL), and
 * SIGINT or SIGHUP alike: the JVM runs its shutdown hooks, then halts every thread and exits 143
 * (130 for SIGINT). The hook installed here tells the running stage, which logs the step it was at
 * and deletes its staging directory, so that the previous output stays as it was and nothing is
 * left on the volume. A shutdown hook rather than a signal handler: it works the same in a native
 * image (where Quarkus' signal handler calls System.exit(143), which runs the hooks too), and it
 * lets the JVM finish the exit: once the hooks are done it halts every thread, the workers too.
 */
public final class StopRequest {
    /** How long the hook may spend deleting the staging directory; the whole exit stays within STOP_SECONDS. */
    static final long CLEANUP_MILLIS = 3000;
    /** The bound stated in README and docs/deploy.md, which the pods' terminationGracePeriodSeconds covers. */
    public static final int STOP_SECONDS = 5;
    /**
     * How long the hook waits for the stage processes a run started (evaluate's) to stop on their
     * own SIGTERM before killing them; within STOP_SECONDS beside the cleanup. A killed one leaves
     * its staging directory inside the run's, which the run's cleanup deletes with it.
     */
    static final long CHILDREN_MILLIS = 1500;

    /**
     * The runs under way, innermost first: one per stage process, but {@code evaluate --in-process}
     * runs each stage's run inside its own, and a stop must clean up both.
     */
    private static final Deque<StageRun> running = new ArrayDeque<>();
    /** Stage processes started by a run under way (evaluate's, one per stage): stopped before the runs are. */
    private static final Set<Process> children = new LinkedHashSet<>();
    /** What to say of a stop that comes after the last run committed its output (the process is only exiting). */
    private static String afterCommit;
    private static volatile boolean exiting;
    /** The hook has begun: no run may begin after it (its directory would outlive the stop). */
    private static boolean stopped;
    /** A stop already reported by the run itself (see {@link #unwatch}). */
    private static boolean reported;
    private static boolean installed;

    private StopRequest() {
    }

    /** Called once by the entry point, before Quarkus starts. */
    public static synchronized void install() {
        if (!installed) {
            Runtime.getRuntime().addShutdownHook(new Thread(StopRequest::stop, "recstage-stop"));
            installed = true;
        }
    }

    /** The process is ending on its own (the command returned or failed): the hook has nothing to do. */
    public static void exiting() {
        exiting = true;
    }

    /**
     * Creates a run's output directory, builds the run on it and watches the run, as one step with
     * respect to a stop request: a stop that comes first halts the process before anything is
     * created; one that comes later finds the whole run (never one still being built) and its staging
     * directory to delete.
     */
    static synchronized StageRun watch(Path out, Function<OutputDirectory, StageRun> build) {
        if (stopped) {
            // A run inside another (evaluate --in-process) whose own run the hook has removed already.
            throw StageException.stopped("asked to stop (SIGTERM, SIGINT or SIGHUP): " + out + " was not begun");
        }
        OutputDirectory output = OutputDirectory.create(out);
        try {
            StageRun run = build.apply(output);
            running.push(run);
            return run;
        } catch (RuntimeException | Error e) {
            output.close();
            throw e;
        }
    }

    /**
     * Starts a stage process for a run (evaluate's) and watches it, as one step with respect to a
     * stop request: a stop that comes first refuses to start it (it would outlive this process
     * and write into a staging directory the stop deletes); one that comes later stops it first.
     * The caller calls {@link #finished} once it has ended.
     */
    public static synchronized Process start(ProcessBuilder builder) throws IOException {
        if (stopped) {
            throw StageException.stopped("asked to stop (SIGTERM, SIGINT or SIGHUP): " + String.join(" ", builder.command()) + " was not started");
        }
        Process process = builder.start();
        children.add(process);
        return process;
    }

    /** A process from {@link #start} has ended. */
    public static synchronized void finished(Process process) {
        children.remove(process);
    }

    /**
     * The run is closing. When the JVM is already shutting down and the run did not commit, Quarkus'
     * own shutdown hook ended the command before this class's hook found the run (the hooks run at
     * the same time): that is the stop, so the run reports it here, naming its step, and removes its
     * staging directory.
     */
    static synchronized void unwatch(StageRun run, Path committedOutput) {
        if (running.remove(run)) {
            afterCommit = committedOutput == null ? null
                    : run.stage() + ": asked to stop (SIGTERM, SIGINT or SIGHUP) while exiting: the output was already complete in "
                            + committedOutput;
            if (committedOutput == null && stopping()) {
                run.stopRequested(CLEANUP_MILLIS);
                reported = true;
            }
        }
    }

    /**
     * Whether a stop request has begun the JVM's shutdown; asked as the command ends, before its own
     * exit. A failure then is the stop's doing (Quarkus shuts down under a running command), which
     * the hook has already reported.
     */
    public static boolean stopping() {
        // The JVM refuses new hooks once its shutdown has begun.
        Thread probe = new Thread(() -> { });
        try {
            Runtime.getRuntime().addShutdownHook(probe);
            Runtime.getRuntime().removeShutdownHook(probe);
            return false;
        } catch (IllegalStateException e) {
            return true;
        }
    }

    /** Forgets a stop that {@link #stop} was called for in a test, so that later tests in the JVM can begin runs. */
    static synchronized void forgetStopForTests() {
        stopped = false;
        reported = false;
        running.clear();
        children.clear();
    }

    /** SIGTERM to every watched stage process (each removes its own staging directory), then SIGKILL to those still running. */
    private static void stopChildren() {
        children.forEach(Process::destroy);
        long deadline = System.currentTimeMillis() + CHILDREN_MILLIS;
        try {
            for (Process child : children) {
                if (!child.waitFor(Math.max(0, deadline - System.currentTimeMillis()), TimeUnit.MILLISECONDS)) {
                    child.destroyForcibly().waitFor(CHILDREN_MILLIS / 3, TimeUnit.MILLISECONDS);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            children.forEach(Process::destroyForcibly);
        }
        children.clear();
    }

    /**
     * Straight to stderr: Quarkus' own shutdown hook, which runs at the same time as this one, may be
     * closing the log handlers, and a line lost there is the only trace of the stop.
     */
    static void say(String line) {
        System.err.println(line);
        System.err.flush();
    }

    /** The shutdown hook's work; package-private for the tests. */
    static synchronized void stop() {
        stopped = true;
        stopChildren();
        if (!running.isEmpty()) {
            // Innermost first; taken off the list, so that a run closing afterwards does not report the stop again.
            while (!running.isEmpty()) {
                running.pop().stopRequested(CLEANUP_MILLIS);
            }
            return;
        }
        if (reported) {
            return;
        }
        if (!exiting) {
            say(afterCommit != null
                    ? afterCommit
                    : "asked to stop (SIGTERM, SIGINT or SIGHUP) during start-up, before any output was begun: exiting");
            // Quarkus' own hook waits for a starting application to run to its end: nothing is written yet, so end now.
            Runtime.getRuntime().halt(ExitCode.STOPPED);
        }
    }
}
