package dev.recstage.behavior;

import dev.recstage.core.engine.RowRange;
import picocli.CommandLine;

/**
 * {@code --shard i/n}: this process computes the i-th (0-based) of n contiguous item ranges;
 * concatenating the n outputs in shard order gives the unsharded output.
 */
public record Shard(int index, int count) {
    public static final Shard WHOLE = new Shard(0, 1);

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
            // falls through to the message below
        }
        throw new CommandLine.TypeConversionException("'" + text + "' is not a shard i/n with 0 <= i < n (e.g. 0/4)");
    }

    public RowRange rows(int itemCount) {
        return RowRange.shard(itemCount, index, count);
    }

    @Override
    public String toString() {
        return index + "/" + count;
    }

    /** Lets picocli parse {@code --shard}; a bad value is a usage error (exit 2). */
    public static final class Converter implements CommandLine.ITypeConverter<Shard> {
        @Override
        public Shard convert(String value) {
            return parse(value);
        }
    }
}
