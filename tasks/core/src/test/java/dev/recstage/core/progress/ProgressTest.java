package dev.recstage.core.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressTest {
    private static final long SECOND = 1_000_000_000L;

    private long now = 100 * SECOND;
    private final List<String> lines = new ArrayList<>();

    private Progress progress(long total) {
        return new Progress("Progress", "batches", total, lines::add, () -> now, 5 * SECOND);
    }

    @Test
    void logsAtMostOncePerIntervalWithRateAndEta() {
        Progress progress = progress(10);
        now += SECOND;
        progress.advance(1);
        now += 3 * SECOND;
        progress.advance(1);
        assertEquals(List.of(), lines, "nothing before the interval is over");
        now += SECOND; // 5 s after the start: 4 batches done, 0.8 per second, 6 to go
        progress.advance(2);
        assertEquals(List.of("Progress: 4/10 batches (40.0%), 0.8 batches/s, ETA 8s"), lines);
        now += 4 * SECOND;
        progress.advance(1);
        assertEquals(1, lines.size(), "throttled again until 5 s after the last line");
    }

    @Test
    void finalLineIsLoggedAtOnceInTheOldShape() {
        Progress progress = progress(10);
        now += SECOND;
        progress.update(10);
        assertEquals(List.of("Progress: 10/10 batches (100.0%), 10.0 batches/s, ETA 0s"), lines);
        assertEquals("Progress: 10/10 batches (100.0%)", lines.get(0).substring(0, lines.get(0).indexOf(',')));
    }

    @Test
    void unknownTotalLogsCountAndRateAndTheFinalCountOnFinish() {
        Progress progress = new Progress("Reading", "rows", 0, lines::add, () -> now, 5 * SECOND);
        now += 2 * SECOND;
        progress.advance(500);
        assertEquals(List.of(), lines);
        now += 3 * SECOND;
        progress.advance(500);
        now += 5 * SECOND;
        progress.finish();
        assertEquals(List.of("Reading: 1000 rows, 200.0 rows/s", "Reading: 1000 rows, 100.0 rows/s"), lines);
    }

    @Test
    void etaFollowsTheRateSoFar() {
        Progress progress = progress(1000);
        now += 10 * SECOND;
        progress.update(250); // 25 per second, 750 left
        assertEquals(List.of("Progress: 250/1000 batches (25.0%), 25.0 batches/s, ETA 30s"), lines);
    }
}
