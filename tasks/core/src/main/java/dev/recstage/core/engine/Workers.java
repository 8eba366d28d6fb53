package dev.recstage.core.engine;

import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/** Waiting for the pool's share of a block, for the searches that split a block across threads. */
public final class Workers {
    private Workers() {
    }

    /**
     * Waits for every task, so that none is still writing into the block when this returns or
     * throws. An Error is rethrown at once; otherwise the first failure is rethrown as is (a
     * checked one wrapped) after all have ended; an interrupt cancels them all.
     */
    public static void awaitAll(List<? extends Future<?>> running) {
        RuntimeException failure = null;
        for (Future<?> f : running) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running.forEach(r -> r.cancel(true));
                throw new CancellationException("interrupted while waiting for similarity workers");
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof Error error) {
                    throw error;
                }
                if (failure == null) {
                    failure = cause instanceof RuntimeException runtime ? runtime : new IllegalStateException(cause);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
