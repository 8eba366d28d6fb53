package dev.recstage.core.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The computation of one block: the pool's workers start on it at once, the caller's thread joins
 * them with {@link #finish} when it is free (after emitting the previous block), and takes rows
 * from the same counter. Rows are taken in small chunks to balance rows of very different cost.
 */
final class BlockWork {
    private final BlockResults block;
    private final int start;
    private final int end;
    private final int chunk;
    private final AtomicInteger next;
    private final List<Future<?>> running;

    private BlockWork(BlockResults block, int start, int end, int chunk, int helpers) {
        this.block = block;
        this.start = start;
        this.end = end;
        this.chunk = chunk;
        this.next = new AtomicInteger(start);
        this.running = new ArrayList<>(helpers);
    }

    /**
     * Starts rows {@code [start, end)} into {@code block} on the pool; {@code searches[0]} is kept
     * for the caller, the others go to the pool (null when there is a single search).
     */
    static BlockWork start(RowSearch[] searches, ExecutorService pool, BlockResults block, int start, int end) {
        int rows = end - start;
        int workers = Math.min(searches.length, rows);
        // At least a few chunks per worker.
        int chunk = Math.max(1, Math.min(32, rows / (workers * 8)));
        BlockWork work = new BlockWork(block, start, end, chunk, workers - 1);
        for (int w = 1; w < workers; w++) {
            RowSearch search = searches[w];
            work.running.add(pool.submit(() -> work.fill(search)));
        }
        return work;
    }

    /** The caller computes the rows still untaken with {@code search}, then waits for the pool's workers. */
    void finish(RowSearch search) {
        try {
            fill(search);
        } finally {
            Workers.awaitAll(running);
        }
    }

    /** Stops handing out rows and waits for the pool's workers; the block is abandoned, and so are their failures. */
    void cancel() {
        next.set(end);
        try {
            Workers.awaitAll(running);
        } catch (RuntimeException ignored) {
            // the caller is already failing with its own exception, which is the one to report
        }
    }

    /** Hands the finished block to the sink in row order. */
    void emit(NeighborSink sink) {
        block.emit(start, end, sink);
    }

    int end() {
        return end;
    }

    private void fill(RowSearch search) {
        for (int first = next.getAndAdd(chunk); first < end; first = next.getAndAdd(chunk)) {
            for (int row = first, last = Math.min(end, first + chunk); row < last; row++) {
                int slot = row - start;
                block.setCount(slot, search.search(row, block.neighbors(), block.scores(), block.offset(slot)));
            }
        }
    }
}
