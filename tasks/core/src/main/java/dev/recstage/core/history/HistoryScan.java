package dev.recstage.core.history;

import dev.recstage.core.cli.StageException;
import dev.recstage.core.features.FeaturesInput;
import dev.recstage.core.features.FeaturesInput.InteractionBatch;
import org.apache.arrow.memory.BufferAllocator;

/**
 * One streaming pass over {@code interactions.arrow} (sorted by user then time) that reduces each
 * user's events to a {@link UserHistory}: event weights with decay, the cap on most recent distinct
 * items, aggregation. Every user with at least one event is handed over in user order, even when
 * nothing of theirs weighs anything (an empty row). Rows out of order or out of range are exit 3.
 */
public final class HistoryScan {
    private final FeaturesInput input;
    private final BufferAllocator allocator;
    private final EventWeighting weighting;
    private final int itemCount;
    private final int userCount;
    private final int cap;
    private final Aggregation aggregation;

    @FunctionalInterface
    public interface UserConsumer {
        /** {@code history} is finished and valid only during the call. */
        void accept(int user, UserHistory history);
    }

    /**
     * @param eventsRead     interaction rows read
     * @param eventsIgnored  events whose weight is not above 0 (weight 0 in the table, non-positive row weight)
     * @param eventsDropped  events on items beyond a user's history cap
     * @param users          users with at least one entry in their row
     * @param usersCapped    users who had more distinct items than the cap
     */
    public record Stats(long eventsRead, long eventsIgnored, long eventsDropped, long users, long usersCapped) {
        public long eventsKept() {
            return eventsRead - eventsIgnored - eventsDropped;
        }
    }

    public HistoryScan(FeaturesInput input, BufferAllocator allocator, EventWeighting weighting, int cap,
                       Aggregation aggregation) {
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

    /** One pass: each user's finished history goes to {@code consumer}, in user order. */
    public Stats run(UserConsumer consumer) {
        Pass pass = new Pass(consumer);
        input.forEachInteractionBatch(allocator, pass::batch);
        pass.finishUser();
        return new Stats(pass.row, pass.ignored, pass.dropped, pass.users, pass.capped);
    }

    /** The state of one pass: the current user and the running counts. */
    private final class Pass {
        private final UserConsumer consumer;
        private final UserHistory history = new UserHistory(itemCount, cap, aggregation);
        private int user = -1;
        private long lastTime = Long.MIN_VALUE;
        private long row;
        private long ignored;
        private long dropped;
        private long users;
        private long capped;

        Pass(UserConsumer consumer) {
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
                    history.addIgnored(item);
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
            }
            consumer.accept(user, history);
        }

        private StageException bad(String what) {
            return StageException.input(input.directory().dir().resolve(FeaturesInput.INTERACTIONS_FILE)
                    + ": row " + row + ": " + what);
        }
    }
}
