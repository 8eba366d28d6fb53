package dev.recstage.behavior;

import dev.recstage.core.cli.StageException;
import dev.recstage.core.engine.CsrMatrix;
import dev.recstage.core.features.FeaturesInput;
import dev.recstage.core.features.FeaturesInput.InteractionBatch;
import org.apache.arrow.memory.BufferAllocator;

/**
 * Builds the items × users matrix of aggregated event weights from {@code interactions.arrow} in
 * two streaming passes: {@link #count()} sizes every item row, {@link #fill(RowCounts)} writes
 * the entries into arrays of exactly that size. Memory is O(nnz + items + events of the largest
 * user); no pair or (user, item) map is ever built. Users arrive in ascending order, so each item
 * row receives its users already sorted.
 */
public final class InteractionMatrixBuilder {
    private final FeaturesInput input;
    private final BufferAllocator allocator;
    private final EventWeighting weighting;
    private final int itemCount;
    private final int userCount;
    private final int cap;
    private final Aggregation aggregation;

    /** Entries per item row and what the history reduction did. */
    public record RowCounts(int[] perItem, long nnz, int maxRowNnz, HistoryStats stats) {
    }

    /**
     * @param eventsRead     interaction rows read
     * @param eventsIgnored  events whose weight is not above 0 (weight 0 in the table, non-positive row weight)
     * @param eventsDropped  events on items beyond a user's history cap
     * @param users          users with at least one entry
     * @param usersCapped    users who had more distinct items than the cap
     */
    public record HistoryStats(long eventsRead, long eventsIgnored, long eventsDropped, long users, long usersCapped) {
    }

    InteractionMatrixBuilder(FeaturesInput input, BufferAllocator allocator, EventWeighting weighting,
                             int cap, Aggregation aggregation) {
        this.input = input;
        this.allocator = allocator;
        this.weighting = weighting;
        this.itemCount = input.itemCount();
        this.userCount = input.userCount();
        this.cap = cap;
        this.aggregation = aggregation;
    }

    public int itemCount() {
        return itemCount;
    }

    public int userCount() {
        return userCount;
    }

    /** First pass: the length of every item row. */
    public RowCounts count() {
        int[] perItem = new int[itemCount];
        HistoryStats stats = scan((user, history) -> {
            for (int r = 0; r < history.rowSize(); r++) {
                perItem[history.rowItem(r)]++;
            }
        });
        long nnz = 0;
        int max = 0;
        for (int n : perItem) {
            nnz += n;
            max = Math.max(max, n);
        }
        if (nnz > Integer.MAX_VALUE - 8) {
            throw StageException.memory("the interaction matrix would have " + nnz
                    + " entries, more than one Java array holds; lower BEHAVIOR_MAX_ITEMS_PER_USER");
        }
        return new RowCounts(perItem, nnz, max, stats);
    }

    /** Second pass: the matrix, rows sized by {@code counts} (whose arrays it takes over). */
    public CsrMatrix fill(RowCounts counts) {
        int[] rowPtr = new int[itemCount + 1];
        for (int i = 0; i < itemCount; i++) {
            rowPtr[i + 1] = rowPtr[i] + counts.perItem()[i];
        }
        int[] cursor = counts.perItem(); // reused: from here on the next free position of each row
        System.arraycopy(rowPtr, 0, cursor, 0, itemCount);
        int[] users = new int[(int) counts.nnz()];
        float[] values = new float[(int) counts.nnz()];
        scan((user, history) -> {
            for (int r = 0; r < history.rowSize(); r++) {
                int item = history.rowItem(r);
                int position = cursor[item]++;
                if (position >= rowPtr[item + 1]) {
                    throw changedBetweenPasses();
                }
                users[position] = user;
                values[position] = history.rowWeight(r);
            }
        });
        for (int i = 0; i < itemCount; i++) {
            if (cursor[i] != rowPtr[i + 1]) {
                throw changedBetweenPasses();
            }
        }
        return CsrMatrix.of(itemCount, userCount, rowPtr, users, values);
    }

    private StageException changedBetweenPasses() {
        return StageException.input(input.directory().dir().resolve(FeaturesInput.INTERACTIONS_FILE)
                + " changed while it was being read");
    }

    @FunctionalInterface
    private interface UserRowConsumer {
        void accept(int user, UserHistory history);
    }

    /** One pass over the interactions: each user's finished row goes to {@code consumer}, in user order. */
    private HistoryStats scan(UserRowConsumer consumer) {
        Scan scan = new Scan(consumer);
        input.forEachInteractionBatch(allocator, scan::batch);
        scan.finishUser();
        return new HistoryStats(scan.row, scan.ignored, scan.dropped, scan.users, scan.capped);
    }

    /** The state of one pass: the current user and the running counts. */
    private final class Scan {
        private final UserRowConsumer consumer;
        private final UserHistory history = new UserHistory(itemCount, cap, aggregation);
        private int user = -1;
        private long lastTime = Long.MIN_VALUE;
        private long row;
        private long ignored;
        private long dropped;
        private long users;
        private long capped;

        Scan(UserRowConsumer consumer) {
            this.consumer = consumer;
        }

        void batch(InteractionBatch batch) {
            for (int r = 0; r < batch.rows(); r++, row++) {
                int u = batch.user()[r];
                int item = batch.item()[r];
                long time = batch.epochSeconds()[r];
                int event = batch.event()[r];
                // Messages are built only on failure: this loop runs once per interaction.
                if (u < 0 || u >= userCount) {
                    throw bad("user index " + u + " outside [0, " + userCount + ")");
                }
                if (item < 0 || item >= itemCount) {
                    throw bad("item index " + item + " outside [0, " + itemCount + ")");
                }
                if (!weighting.knowsEvent(event)) {
                    throw bad("event code " + event + " is not in the event dictionary");
                }
                if (u != user) {
                    if (u < user) {
                        throw bad("user " + u + " after user " + user + ": not sorted by user then time");
                    }
                    finishUser();
                    user = u;
                } else if (time < lastTime) {
                    throw bad("time goes back within user " + u + ": not sorted by user then time");
                }
                lastTime = time;
                double weight = weighting.weight(event, batch.weight()[r], time);
                if (weight > 0) {
                    history.add(item, weight);
                } else {
                    ignored++;
                }
            }
        }

        void finishUser() {
            if (history.isEmpty()) {
                return;
            }
            history.finish();
            if (history.droppedEvents() > 0) {
                capped++;
                dropped += history.droppedEvents();
            }
            if (history.rowSize() > 0) {
                users++;
                consumer.accept(user, history);
            }
        }

        private StageException bad(String what) {
            return StageException.input(input.directory().dir().resolve(FeaturesInput.INTERACTIONS_FILE)
                    + ": row " + row + ": " + what);
        }
    }
}
