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

    static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "…";
    }

}
