package dev.recstage.core.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ByteSizeTest {
    @ParameterizedTest
    @CsvSource({
        "1048576, 1048576",
        "512B, 512",
        "1Ki, 1024",
        "512Mi, 536870912",
        "2Gi, 2147483648",
        "1Ti, 1099511627776",
        "1k, 1000",
        "1K, 1000",
        "2M, 2000000",
        "1G, 1000000000",
        "1.5Gi, 1610612736",
        "' 256Mi ', 268435456",
        "64 Mi, 67108864"})
    void parsesKubernetesQuantities(String text, long bytes) {
        assertEquals(bytes, ByteSize.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Mi", "12 parsecs", "-1Gi", "1GB", "one"})
    void refusesOtherTextNamingIt(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ByteSize.parse(text));
        assertTrue(e.getMessage().contains("'" + text + "'"), e.getMessage());
    }

    @Test
    void formatsMebibytesWithOneDecimalWhateverTheLocale() {
        Locale before = Locale.getDefault();
        try {
            Locale.setDefault(Locale.GERMANY); // decimal comma must not leak in
            assertEquals("180.5 MB", ByteSize.mb((long) (180.5 * 1024 * 1024)));
            assertEquals("0.0 MB", ByteSize.mb(0));
            assertEquals(1.5, ByteSize.toMb(3L << 19));
        } finally {
            Locale.setDefault(before);
        }
    }
}
