package dev.recstage.core.config;

import java.util.Locale;

/**
 * An on/off setting written {@code 1}/{@code 0} (or true/false, yes/no, on/off). Unlike a plain
 * boolean, anything else is an error rather than silently off. SmallRye Config converts through
 * the static {@link #of(String)}.
 */
public final class Flag {
    private static final Flag ON = new Flag(true);
    private static final Flag OFF = new Flag(false);

    private final boolean on;

    private Flag(boolean on) {
        this.on = on;
    }

    public boolean on() {
        return on;
    }

    public static Flag of(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "1", "true", "yes", "on" -> ON;
            case "0", "false", "no", "off" -> OFF;
            default -> throw new IllegalArgumentException("'" + text + "' is not a switch value (expected 1 or 0)");
        };
    }

    @Override
    public String toString() {
        return on ? "1" : "0";
    }
}
