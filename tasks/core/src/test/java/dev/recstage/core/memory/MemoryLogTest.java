package dev.recstage.core.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Locale;
import org.junit.jupiter.api.Test;

/** The old system's log lines, character for character: its users grep for them. */
class MemoryLogTest {
    private static final double MB = 1024.0 * 1024.0;

    private static long mb(double megabytes) {
        return Math.round(megabytes * MB);
    }

    @Test
    void optimizationLine() {
        assertEquals("Memory optimization: 100.00 MB -> 35.23 MB (64.8% reduction)", MemoryLog.optimization(mb(100), mb(35.23)));
        assertEquals("Memory optimization: 0.00 MB -> 0.00 MB (0.0% reduction)", MemoryLog.optimization(0, 0));
    }

    @Test
    void usageLine() {
        assertEquals("Memory usage: 450.2 MB -> 180.5 MB (freed 269.7 MB)", MemoryLog.usage(mb(450.2), mb(180.5)));
    }

    @Test
    void decimalPointWhateverTheLocale() {
        Locale before = Locale.getDefault();
        try {
            Locale.setDefault(Locale.FRANCE);
            assertEquals("Memory usage: 450.2 MB -> 180.5 MB (freed 269.7 MB)", MemoryLog.usage(mb(450.2), mb(180.5)));
            assertEquals("Memory optimization: 100.00 MB -> 35.23 MB (64.8% reduction)", MemoryLog.optimization(mb(100), mb(35.23)));
        } finally {
            Locale.setDefault(before);
        }
    }
}
