package dev.recstage.core.progress;

import dev.recstage.core.engine.BlockListener;
import java.util.Locale;
import java.util.function.Consumer;

/** The old system's similarity log: the announcement, then {@code Progress: b/B batches (p%)} with rate and ETA. */
public final class BatchProgress {
    private BatchProgress() {
    }

    /** Logs the announcement now and returns the listener that logs progress in batches as blocks of rows complete. */
    public static BlockListener announce(int rows, int batch, int topK, Consumer<String> log) {
        long batches = (rows + (long) batch - 1) / batch;
        log.accept(String.format(Locale.ROOT, "Computing similarity in batches (total=%d, batch_size=%d, top_k=%d)", rows, batch, topK));
        Progress progress = new Progress("Progress", "batches", batches, log);
        return (rowsDone, rowsTotal) -> progress.update((rowsDone + (long) batch - 1) / batch);
    }
}
