package dev.recstage.core.config;

import dev.recstage.core.cli.StageException;

/** Checks of setting values that the types alone do not express; failures are exit 2. */
public final class Settings {
    /** The neighbours file stores ranks as int16. */
    static final int MAX_TOP_K = Short.MAX_VALUE;

    private Settings() {
    }

    /** {@code value} must be at least 1; {@code name} says where it came from, e.g. {@code SIMILARITY_TOP_K / --top-k}. */
    public static int positive(String name, int value) {
        if (value < 1) {
            throw StageException.usage(name + " must be a positive integer, got " + value);
        }
        return value;
    }

    /** {@code value} must be from {@code min} to {@code max}; {@code name} as for {@link #positive}. */
    public static int within(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw StageException.usage(name + " must be an integer from " + min + " to " + max + ", got " + value);
        }
        return value;
    }

    /** Neighbours kept per item: at least 1 and at most {@link #MAX_TOP_K}; {@code name} as for {@link #positive}. */
    public static int topK(String name, int value) {
        positive(name, value);
        if (value > MAX_TOP_K) {
            throw StageException.usage(name + " must be at most " + MAX_TOP_K + " (ranks are int16), got " + value);
        }
        return value;
    }

    /** The command-line value when given, else the configured one. */
    public static <T> T override(T commandLine, T configured) {
        return commandLine != null ? commandLine : configured;
    }
}
