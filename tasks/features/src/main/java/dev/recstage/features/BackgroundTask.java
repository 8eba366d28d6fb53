package dev.recstage.features;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * A task run on its own thread beside the caller's work. Closing waits for it, also when the
 * caller failed: it must be done with the run's Arrow buffers and staging directory before the
 * run closes them.
 */
final class BackgroundTask<T> implements AutoCloseable {
    private final ExecutorService executor = Executors.newSingleThreadExecutor();
    private final Future<T> result;

    BackgroundTask(Callable<T> task) {
        result = executor.submit(task);
    }

    /** The task's result; its failure is rethrown as is when it is the stage's own. */
    T join() {
        try {
            return result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a background task", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    @Override
    public void close() {
        executor.shutdown();
        try {
            while (!executor.awaitTermination(1, TimeUnit.MINUTES)) {
                // The task is bounded by its input; keep waiting rather than leave it writing.
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
