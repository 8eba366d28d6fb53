package dev.recstage.features.input;

/**
 * One row of a raw input: the values of the requested columns in their order ({@code null}
 * where the column is absent or empty), or the reason the row cannot be read at all.
 */
public record RawRecord(long line, String[] values, Reject reject) {
    public static RawRecord rejected(long line, Reject reject) {
        return new RawRecord(line, null, reject);
    }

    public boolean isRejected() {
        return reject != null;
    }
}
