package dev.recstage.core.config;

import dev.recstage.core.cli.StageException;

/** Checks of setting values that the types alone do not express; failures are exit 2. */
public final class Settings {
    private Settings() {
    }

    /** {@code value} must be at least 1; {@code name} says where it came from, e.g. {@code SIMILARITY_TOP_K / --top-k}. */
    public static int positive(String name, int value) {
        if (value < 1) {
            throw StageException.usage(name + " must be a positive integer, got " + value);
        }
        return value;
    }

    /** The command-line value when given, else the configured one. */
    public static <T> T override(T commandLine, T configured) {
        return commandLine != null ? commandLine : configured;
    }
}
