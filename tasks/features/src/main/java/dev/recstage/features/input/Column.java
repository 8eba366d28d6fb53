package dev.recstage.features.input;

/** A column the features stage reads: its name in DESIGN.md and whether a file must have it. */
public record Column(String name, boolean required) {
    public static Column required(String name) {
        return new Column(name, true);
    }

    public static Column optional(String name) {
        return new Column(name, false);
    }
}
