package dev.recstage.recommend;

import dev.recstage.core.engine.Workers;
import dev.recstage.core.history.UserHistory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * Recommends for users handed over one at a time in user order ({@link #add}): they are gathered
 * into a block of at most {@code blockUsers} users, the block is scored by the worker threads (each
 * with its own {@link UserScorer}) and handed to the sink in user order. A user whose history
 * scores nothing gets the {@link PopularItems} list. Memory: the neighbour lists, one block of
 * histories and results, one scorer per thread; nothing per user of the whole run, except when the
 * lists are read in passes over neighbour ranges: then each pass's lists are merged into a
 * {@link RunningTopN} of all users, and only the last pass hands them to the sink.
 */
final class UserRecommender implements AutoCloseable {
    private final UserScorer[] scorers;
    private final RunningTopN running;
    private final RunningTopN.Scratch[] scratches;
    private final PopularItems popular;
    private final int topN;
    private final UserListSink sink;
    private final IntConsumer progress;
    private final ExecutorService pool;

    private final int blockUsers;
    private final int[] users;
    private final int[] historyStart;
    private final int[] historyItems;
    private final float[] historyWeights;
    private final int[] seenStart;
    private final int seenBudget;
    private int[] seen;
    private int blockSize;

    private final int[] outItems;
    private final float[] outScores;
    private final int[] outBecause;
    private final int[] outCount;
    private final boolean[] outPopular;

    private long usersDone;
    private long usersFromHistory;
    private long usersFromPopularity;

    /**
     * @param maxHistory the most items one user's history holds (the history cap)
     * @param running    the users' lists of the passes before (null: a single pass)
     * @param sink       gets every user's list; null for a pass before the last, whose lists only go to {@code running}
     * @param progress   told the number of users done after each block
     */
    UserRecommender(NeighborLists behavior, NeighborLists content, BlendWeights weights, PopularItems popular,
                    int topN, boolean includeSeen, int threads, int blockUsers, int maxHistory,
                    RunningTopN running, UserListSink sink, IntConsumer progress) {
        this.scorers = new UserScorer[Math.max(1, Math.min(threads, blockUsers))];
        this.scratches = new RunningTopN.Scratch[scorers.length];
        for (int w = 0; w < scorers.length; w++) {
            scorers[w] = new UserScorer(behavior, content, weights, topN, includeSeen);
            scratches[w] = new RunningTopN.Scratch(topN);
        }
        this.running = running;
        this.popular = popular;
        this.topN = topN;
        this.sink = sink;
        this.progress = progress;
        this.pool = scorers.length > 1 ? Executors.newFixedThreadPool(scorers.length - 1, UserRecommender::workerThread) : null;
        this.blockUsers = blockUsers;
        this.users = new int[blockUsers];
        this.historyStart = new int[blockUsers + 1];
        this.historyItems = new int[Math.multiplyExact(blockUsers, maxHistory)];
        this.historyWeights = new float[historyItems.length];
        this.seenStart = new int[blockUsers + 1];
        this.seenBudget = historyItems.length;
        this.seen = new int[Math.min(seenBudget, 1 << 16)];
        this.outItems = new int[Math.multiplyExact(blockUsers, topN)];
        this.outScores = new float[outItems.length];
        this.outBecause = new int[outItems.length];
        this.outCount = new int[blockUsers];
        this.outPopular = new boolean[blockUsers];
    }

    /**
     * Heap bytes of the block buffers (histories, seen items, results) for blocks of {@code blockUsers}
     * users, plus the seen items of one user who has seen every item.
     */
    static long blockBytes(long blockUsers, long maxHistory, long topN, long items) {
        return 16 * blockUsers + 8 * blockUsers * maxHistory + 4 * (blockUsers * maxHistory + items) + 13 * blockUsers * topN;
    }

    /** Adds the user whose history has just been finished; may score and emit a full block. */
    void add(int user, UserHistory history) {
        int seenCount = history.seenCount();
        boolean blockFull = blockSize == blockUsers;
        boolean seenFull = blockSize > 0 && seenStart[blockSize] + seenCount > seenBudget;
        if (blockFull || seenFull) {
            flush();
        }
        int h = historyStart[blockSize];
        for (int r = 0; r < history.rowSize(); r++) {
            historyItems[h + r] = history.rowItem(r);
            historyWeights[h + r] = history.rowWeight(r);
        }
        int s = seenStart[blockSize];
        if (s + seenCount > seen.length) {
            seen = Arrays.copyOf(seen, Math.max(s + seenCount, Math.min(2 * seen.length, seenBudget)));
        }
        System.arraycopy(history.seenItems(), 0, seen, s, seenCount);
        users[blockSize] = user;
        blockSize++;
        historyStart[blockSize] = h + history.rowSize();
        seenStart[blockSize] = s + seenCount;
    }

    /** Scores and emits the last, partial block. */
    void finish() {
        if (blockSize > 0) {
            flush();
        }
    }

    private void flush() {
        scoreBlock();
        for (int u = 0; sink != null && u < blockSize; u++) {
            sink.accept(users[u], outItems, outScores, outBecause, u * topN, outCount[u], outPopular[u]);
            if (outPopular[u]) {
                usersFromPopularity++;
            } else {
                usersFromHistory++;
            }
        }
        usersDone += blockSize;
        progress.accept((int) Math.min(usersDone, Integer.MAX_VALUE));
        blockSize = 0;
    }

    private void scoreBlock() {
        AtomicInteger next = new AtomicInteger();
        List<Future<?>> workers = new ArrayList<>();
        for (int w = 1; w < scorers.length; w++) {
            int worker = w;
            workers.add(pool.submit(() -> scoreUsers(worker, next)));
        }
        try {
            scoreUsers(0, next);
        } finally {
            Workers.awaitAll(workers);
        }
    }

    private void scoreUsers(int worker, AtomicInteger next) {
        for (int u = next.getAndIncrement(); u < blockSize; u = next.getAndIncrement()) {
            int offset = u * topN;
            int count = scorers[worker].score(historyItems, historyWeights, historyStart[u], historyStart[u + 1],
                    seen, seenStart[u], seenStart[u + 1], outItems, outScores, outBecause, offset);
            if (running != null) {
                count = running.merge(users[u], outItems, outScores, outBecause, offset, count, scratches[worker]);
            }
            if (sink == null) {
                continue; // a pass before the last: its lists only go to running
            }
            outPopular[u] = count == 0;
            outCount[u] = count > 0 ? count
                    : popular.fill(topN, seen, seenStart[u], seenStart[u + 1], outItems, outScores, offset);
        }
    }

    long usersFromHistory() {
        return usersFromHistory;
    }

    long usersFromPopularity() {
        return usersFromPopularity;
    }

    private static Thread workerThread(Runnable r) {
        Thread t = new Thread(r, "recommend-worker");
        t.setDaemon(true);
        return t;
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
