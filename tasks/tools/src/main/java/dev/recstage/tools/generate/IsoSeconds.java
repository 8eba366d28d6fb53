package dev.recstage.tools.generate;

import java.time.LocalDate;

/**
 * ISO-8601 UTC text of epoch seconds ({@code 2024-03-05T12:34:56Z}), as {@code Instant.toString}
 * gives it, but without re-deriving the date for every event of the same day: events come out
 * in time order, so this is most of the cost of writing them.
 */
final class IsoSeconds {
    private static final long DAY = 86_400;
    private long cachedDay = Long.MIN_VALUE;
    private String cachedDate;
    private final StringBuilder text = new StringBuilder(20);

    String format(long epochSeconds) {
        long day = Math.floorDiv(epochSeconds, DAY);
        if (day != cachedDay) {
            cachedDay = day;
            cachedDate = LocalDate.ofEpochDay(day) + "T";
        }
        int second = (int) Math.floorMod(epochSeconds, DAY);
        text.setLength(0);
        text.append(cachedDate);
        twoDigits(second / 3600).append(':');
        twoDigits(second / 60 % 60).append(':');
        twoDigits(second % 60).append('Z');
        return text.toString();
    }

    private StringBuilder twoDigits(int value) {
        return text.append((char) ('0' + value / 10)).append((char) ('0' + value % 10));
    }
}
