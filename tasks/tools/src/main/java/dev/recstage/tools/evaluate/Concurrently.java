package dev.recstage.tools.evaluate;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * Independent stage runs (content beside behaviour, the recommend rows) up to {@code jobs} at a
 * time. Each is its own process, so its peak RSS stays its own; its wall time includes sharing the
 * machine, which is why {@code --jobs 1} is the setting for timing stages.
 */
final class Concurrently {
    private Concurrently() {
    }

    static <T> List<T> run(int jobs, List<Supplier<T>> tasks) {
        if (jobs <= 1 || tasks.size() <= 1) {
            return tasks.stream().map(Supplier::get).toList();
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(jobs, tasks.size()));
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (Supplier<T> task : tasks) {
                futures.add(pool.submit(task::get));
            }
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get());
            }
            return results;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure; // the stage's own StageException and exit code
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } finally {
            pool.shutdownNow();
        }
    }
}
