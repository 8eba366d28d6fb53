package dev.recstage.tools.generate;

import java.util.SplittableRandom;

/**
 * The events of one user in time order, produced lazily so that all users' streams can be merged
 * by time holding one small state per user rather than every event. Its {@code count} events fall
 * in [start, end]: each next time is either a continuation of the current session (minutes later)
 * or the minimum of the remaining events drawn uniformly over the rest of the window.
 */
final class EventStream implements Comparable<EventStream> {
    private static final double SESSION_GAP_SECONDS = 180;

    final int user;
    final SplittableRandom rng;
    final int[] favouriteTopics;
    final boolean crawler;
    private final double end;
    private final double sessionShare;
    private long remaining;
    private double time;

    EventStream(int user, SplittableRandom rng, long count, double start, double end, int[] favouriteTopics,
                boolean crawler, double sessionShare) {
        this.user = user;
        this.rng = rng;
        this.remaining = count;
        this.time = start;
        this.end = end;
        this.favouriteTopics = favouriteTopics;
        this.crawler = crawler;
        this.sessionShare = sessionShare;
        advance(false);
    }

    /** Time of the pending event, epoch seconds. */
    long second() {
        return (long) time;
    }

    /** Consumes the pending event; false when the stream is exhausted. */
    boolean next() {
        if (--remaining == 0) {
            return false;
        }
        advance(true);
        return true;
    }

    private void advance(boolean mayContinueSession) {
        if (mayContinueSession && Draws.chance(rng, sessionShare)) {
            double gap = -SESSION_GAP_SECONDS * StrictMath.log(1.0 - rng.nextDouble());
            if (time + gap <= end) {
                time += gap;
                return;
            }
        }
        // Minimum of `remaining` uniform draws on [time, end]: 1 - U^(1/remaining) of the way.
        time += (end - time) * -StrictMath.expm1(StrictMath.log(1.0 - rng.nextDouble()) / remaining);
    }

    /** Earlier first; at the same time the lower user, so that the merge is deterministic. */
    @Override
    public int compareTo(EventStream other) {
        int byTime = Double.compare(time, other.time);
        return byTime != 0 ? byTime : Integer.compare(user, other.user);
    }
}
