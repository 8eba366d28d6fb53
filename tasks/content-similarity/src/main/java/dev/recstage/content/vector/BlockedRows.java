package dev.recstage.content.vector;

import dev.recstage.core.engine.BlockListener;
import dev.recstage.core.engine.BlockResults;
import dev.recstage.core.engine.NeighborSink;
import dev.recstage.core.engine.Workers;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Rows with two neighbour lists each (vector and blend), computed in blocks of {@code batch} rows:
 * the chunks of a block spread over the threads, each chunk by one worker, then both lists emitted
 * in row order from the caller's thread. Each row's result depends on the row alone, so the output
 * is the same for every thread count and batch size.
 */
final class BlockedRows {
    /** One thread's scratch and search: fills the slots of rows {@code [first, first + rows)} of both blocks. */
    interface ChunkWorker {
        void fill(int first, int rows, int blockStart, BlockResults vectorBlock, BlockResults blendBlock);
    }

    private final int threads;
    private final int batch;
    private final int chunkRows;
    private final int k;

    BlockedRows(int threads, int batch, int chunkRows, int k) {
        this.threads = threads;
        this.batch = batch;
        this.chunkRows = chunkRows;
        this.k = k;
    }

    /**
     * Computes rows {@code [fromRow, toRow)} with workers from {@code newWorker}; each sink gets every row, in order.
     * {@code beforeEachBlock} runs on this thread while no worker does.
     */
    void run(int fromRow, int toRow, Supplier<ChunkWorker> newWorker, NeighborSink vectorSink, NeighborSink blendSink,
             BlockListener progress, Runnable beforeEachBlock) {
        int total = toRow - fromRow;
        int capacity = Math.max(1, Math.min(batch, total));
        BlockResults vectorBlock = new BlockResults(capacity, k);
        BlockResults blendBlock = new BlockResults(capacity, k);
        int workers = Math.max(1, Math.min(threads, (capacity + chunkRows - 1) / chunkRows));
        ChunkWorker[] pool = new ChunkWorker[workers];
        for (int w = 0; w < workers; w++) {
            pool[w] = newWorker.get();
        }
        ExecutorService executor = workers > 1 ? Executors.newFixedThreadPool(workers - 1, BlockedRows::daemon) : null;
        try {
            for (int start = fromRow; start < toRow; start += capacity) {
                int end = Math.min(toRow, start + capacity);
                beforeEachBlock.run();
                computeBlock(pool, executor, start, end, vectorBlock, blendBlock);
                vectorBlock.emit(start, end, vectorSink);
                blendBlock.emit(start, end, blendSink);
                progress.blockDone(end - fromRow, total);
            }
        } finally {
            if (executor != null) {
                executor.shutdownNow();
            }
        }
    }

    private void computeBlock(ChunkWorker[] pool, ExecutorService executor, int start, int end,
                              BlockResults vectorBlock, BlockResults blendBlock) {
        AtomicInteger next = new AtomicInteger(start);
        List<Future<?>> running = new ArrayList<>();
        for (int w = 1; w < pool.length; w++) {
            ChunkWorker worker = pool[w];
            running.add(executor.submit(() -> claimChunks(worker, next, start, end, vectorBlock, blendBlock)));
        }
        RuntimeException failure = null;
        try {
            claimChunks(pool[0], next, start, end, vectorBlock, blendBlock);
        } catch (RuntimeException e) {
            failure = e;
        }
        try {
            Workers.awaitAll(running);
        } catch (RuntimeException e) {
            if (failure == null) {
                failure = e;
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private void claimChunks(ChunkWorker worker, AtomicInteger next, int blockStart, int blockEnd,
                             BlockResults vectorBlock, BlockResults blendBlock) {
        for (int first = next.getAndAdd(chunkRows); first < blockEnd; first = next.getAndAdd(chunkRows)) {
            worker.fill(first, Math.min(chunkRows, blockEnd - first), blockStart, vectorBlock, blendBlock);
        }
    }

    private static Thread daemon(Runnable r) {
        Thread t = new Thread(r, "vector-worker");
        t.setDaemon(true);
        return t;
    }
}
