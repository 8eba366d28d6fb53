package dev.recstage.core.progress;

import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Progress of a long loop as one log line at most every few seconds (and at the end):
 * done/total, percent, rate and ETA; with an unknown total (≤ 0), done and rate. Not
 * thread-safe: call it from the loop's own thread.
 */
public final class Progress {
    private static final long DEFAULT_INTERVAL_NANOS = 5_000_000_000L;

    private final String label;
    private final String unit;
    private final long total;
    private final Consumer<String> log;
    private final LongSupplier clock;
    private final long intervalNanos;
    private final long start;
    private long lastLogged;
    private long done;

    public Progress(String label, String unit, long total, Consumer<String> log) {
        this(label, unit, total, log, System::nanoTime, DEFAULT_INTERVAL_NANOS);
    }

    public Progress(String label, String unit, long total, Consumer<String> log, LongSupplier clock, long intervalNanos) {
        this.label = label;
        this.unit = unit;
        this.total = total;
        this.log = log;
        this.clock = clock;
        this.intervalNanos = intervalNanos;
        this.start = clock.getAsLong();
        this.lastLogged = start;
    }

    public void advance(long count) {
        update(done + count);
    }

    public void update(long doneNow) {
        done = doneNow;
        long now = clock.getAsLong();
        if ((total > 0 && done >= total) || now - lastLogged >= intervalNanos) {
            lastLogged = now;
            log.accept(line(now));
        }
    }

    /** Logs the final count when the total was not known in advance (total ≤ 0). */
    public void finish() {
        if (total <= 0) {
            log.accept(line(clock.getAsLong()));
        }
    }

    String line(long now) {
        double seconds = Math.max((now - start) / 1e9, 1e-9);
        double rate = done / seconds;
        if (total <= 0) {
            return String.format(Locale.ROOT, "%s: %d %s, %.1f %s/s", label, done, unit, rate, unit);
        }
        double percent = total == 0 ? 100.0 : 100.0 * done / total;
        String eta = rate > 0 && done < total ? String.format(Locale.ROOT, "%.0fs", (total - done) / rate) : "0s";
        return String.format(Locale.ROOT, "%s: %d/%d %s (%.1f%%), %.1f %s/s, ETA %s",
                label, done, total, unit, percent, rate, unit, eta);
    }
}
