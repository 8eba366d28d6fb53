package dev.recstage.features.input;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/**
 * Timestamps as raw exports write them: ISO-8601 with or without zone (no zone means UTC; a
 * space may stand for the 'T'; a bare date is midnight), or epoch seconds or milliseconds,
 * told apart by magnitude.
 */
public final class Timestamps {
    /** Epoch values at or above this magnitude are milliseconds (1e11 s would be the year 5138). */
    private static final double MILLIS_THRESHOLD = 1e11;
    private static final Pattern NUMBER = Pattern.compile("[-+]?\\d+(\\.\\d+)?");
    private static final DateTimeFormatter LOCAL = new DateTimeFormatterBuilder()
            .parseCaseInsensitive()
            .append(DateTimeFormatter.ISO_LOCAL_DATE)
            .optionalStart().appendLiteral('T').optionalEnd()
            .optionalStart().appendLiteral(' ').optionalEnd()
            .append(DateTimeFormatter.ISO_LOCAL_TIME)
            .toFormatter();

    private Timestamps() {
    }

    /** Seconds since the epoch (UTC); {@link IllegalArgumentException} when the text is none of the accepted forms. */
    public static long parseEpochSeconds(String text) {
        String s = text.trim();
        if (s.isEmpty()) {
            throw new IllegalArgumentException("empty timestamp");
        }
        long fast = parseCommonForms(s);
        if (fast != NOT_COMMON) {
            return fast;
        }
        if (NUMBER.matcher(s).matches()) {
            double value = Double.parseDouble(s);
            if (Math.abs(value) >= MILLIS_THRESHOLD) {
                return Math.floorDiv((long) value, 1000L);
            }
            return (long) Math.floor(value);
        }
        try {
            return OffsetDateTime.parse(s.replace(' ', 'T')).toEpochSecond();
        } catch (DateTimeParseException notOffset) {
            try {
                return LocalDateTime.parse(s, LOCAL).toEpochSecond(ZoneOffset.UTC);
            } catch (DateTimeParseException notLocal) {
                try {
                    return LocalDate.parse(s).atStartOfDay().toEpochSecond(ZoneOffset.UTC);
                } catch (DateTimeParseException notDate) {
                    throw new IllegalArgumentException("'" + abbreviate(s) + "' is not a timestamp (expected ISO-8601, epoch seconds or epoch milliseconds)");
                }
            }
        }
    }

    /** For options such as --since and --as-of: same forms, errors say which option. */
    public static Instant parseOption(String option, String text) {
        try {
            return Instant.ofEpochSecond(parseEpochSeconds(text));
        } catch (IllegalArgumentException e) {
            throw dev.recstage.core.cli.StageException.usage(option + ": " + e.getMessage());
        }
    }

    private static final long NOT_COMMON = Long.MIN_VALUE;

    /**
     * The two forms exports write millions of times — whole epoch numbers and
     * {@code yyyy-MM-ddTHH:mm:ss[Z]} — read without regex or formatter (they dominate the
     * features stage's time otherwise); anything else returns {@link #NOT_COMMON}.
     */
    private static long parseCommonForms(String s) {
        int n = s.length();
        boolean digits = n <= 18;
        for (int i = 0; i < n && digits; i++) {
            digits = s.charAt(i) >= '0' && s.charAt(i) <= '9';
        }
        if (digits) {
            long value = Long.parseLong(s);
            return value >= MILLIS_THRESHOLD ? value / 1000 : value;
        }
        if ((n == 19 || (n == 20 && s.charAt(19) == 'Z')) && s.charAt(4) == '-' && s.charAt(7) == '-'
                && (s.charAt(10) == 'T' || s.charAt(10) == ' ') && s.charAt(13) == ':' && s.charAt(16) == ':') {
            int year = digits(s, 0, 4);
            int month = digits(s, 5, 7);
            int day = digits(s, 8, 10);
            int hour = digits(s, 11, 13);
            int minute = digits(s, 14, 16);
            int second = digits(s, 17, 19);
            if (year < 0 || month < 0 || day < 0 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
                return NOT_COMMON;
            }
            try {
                return LocalDate.of(year, month, day).toEpochDay() * 86_400L + hour * 3600L + minute * 60L + second;
            } catch (java.time.DateTimeException e) {
                return NOT_COMMON;
            }
        }
        return NOT_COMMON;
    }

    /** The decimal number in {@code s[from, to)}, or -1 if a character is not a digit. */
    private static int digits(String s, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "…";
    }

}
