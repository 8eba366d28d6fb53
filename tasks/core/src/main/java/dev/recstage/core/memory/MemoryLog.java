package dev.recstage.core.memory;

import java.util.Locale;

/** The old system's memory log lines, which its users grep for; the shapes must not change. */
public final class MemoryLog {
    private MemoryLog() {
    }

    /** {@code Memory optimization: 100.00 MB -> 35.23 MB (64.8% reduction)}. */
    public static String optimization(long wideBytes, long narrowBytes) {
        double reduction = wideBytes == 0 ? 0 : 100.0 * (wideBytes - narrowBytes) / wideBytes;
        return String.format(Locale.ROOT, "Memory optimization: %.2f MB -> %.2f MB (%.1f%% reduction)",
                ByteSize.toMb(wideBytes), ByteSize.toMb(narrowBytes), reduction);
    }

    /** {@code Memory usage: 450.2 MB -> 180.5 MB (freed 269.7 MB)}. */
    public static String usage(long beforeBytes, long afterBytes) {
        return String.format(Locale.ROOT, "Memory usage: %.1f MB -> %.1f MB (freed %.1f MB)",
                ByteSize.toMb(beforeBytes), ByteSize.toMb(afterBytes), ByteSize.toMb(beforeBytes - afterBytes));
    }
}
