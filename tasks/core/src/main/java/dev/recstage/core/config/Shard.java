package dev.recstage.core.config;

import dev.recstage.core.cli.StageException;
import dev.recstage.core.engine.RowRange;

/**
 * {@code --shard i/n}: this process computes the i-th (0-based) of n contiguous item ranges;
 * concatenating the n outputs in shard order gives the unsharded output.
 */
public record Shard(int index, int count) {
    public static final Shard WHOLE = new Shard(0, 1);

    public Shard {
        if (count < 1 || index < 0 || index >= count) {
            throw new IllegalArgumentException("invalid shard " + index + "/" + count);
        }
    }

    /** The {@code --shard} value, or the whole item range when the option is not given (null). */
    public static Shard option(String text) {
        return text == null ? WHOLE : parse(text);
    }

    /** {@code i/n} with {@code 0 <= i < n}; anything else is exit 2 with the expected shape. */
    public static Shard parse(String text) {
        String[] parts = text.trim().split("/", -1);
        try {
            if (parts.length == 2) {
                int index = Integer.parseInt(parts[0].trim());
                int count = Integer.parseInt(parts[1].trim());
                if (count >= 1 && index >= 0 && index < count) {
                    return new Shard(index, count);
                }
            }
        } catch (NumberFormatException e) {
            // Reported below with the expected shape.
        }
        throw StageException.usage("--shard must be i/n with 0 <= i < n (e.g. 0/4 for the first of four shards), got '" + text + "'");
    }

    public RowRange rows(int itemCount) {
        return RowRange.shard(itemCount, index, count);
    }

    /** The {@code i/n} form, as the manifest records it. */
    @Override
    public String toString() {
        return index + "/" + count;
    }
}
