package dev.recstage.core.memory;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses Kubernetes-style quantities ({@code 512Mi}, {@code 1Gi}, {@code 2G}, {@code 1048576}) and formats bytes. */
public final class ByteSize {
    private static final Pattern QUANTITY = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([KMGT]i?|[kmgt]|B)?");
    private static final double MB = 1024.0 * 1024.0;

    private ByteSize() {
    }

    /** Bytes of a quantity; {@link IllegalArgumentException} naming the text when it is not one. */
    public static long parse(String text) {
        Matcher m = QUANTITY.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a memory size (expected e.g. 512Mi, 2Gi, 1G or bytes)");
        }
        double value = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "" : m.group(2);
        double factor = switch (unit) {
            case "", "B" -> 1;
            case "k", "K" -> 1e3;
            case "m", "M" -> 1e6;
            case "g", "G" -> 1e9;
            case "t", "T" -> 1e12;
            case "Ki" -> 1024.0;
            case "Mi" -> MB;
            case "Gi" -> MB * 1024;
            case "Ti" -> MB * MB;
            default -> throw new IllegalArgumentException("unknown unit in '" + text + "'");
        };
        return (long) (value * factor);
    }

    /** Mebibytes with one decimal, e.g. {@code 180.5 MB}: the unit of the old system's log lines. */
    public static String mb(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / MB);
    }

    public static double toMb(long bytes) {
        return bytes / MB;
    }
}
