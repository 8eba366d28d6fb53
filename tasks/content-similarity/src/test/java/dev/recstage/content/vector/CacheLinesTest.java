package dev.recstage.content.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recstage.core.features.FeaturesInput;
import org.junit.jupiter.api.Test;

/**
 * The addresses CacheLines decodes, checked where the JVM's layout fixes them: two arrays allocated
 * one after the other lie one array's size apart (a wrong reference scale would put them 4 or 64
 * bytes apart), and an ItemVectors' panels start on the line the decoding names.
 */
class CacheLinesTest {

    @Test
    void theJvmTellsWhereArraysLie() {
        assertTrue(CacheLines.known(), "HotSpot with sun.misc.Unsafe: the tests' JVM");
    }

    @Test
    void consecutiveArraysLieOneArraySizeApart() {
        // float[8]: a 16-byte header and 32 bytes of floats, 48 bytes: the next one's elements are 12 floats further.
        int agreed = 0;
        for (int attempt = 0; attempt < 20; attempt++) {
            float[] first = new float[8];
            float[] second = new float[8];
            int a = CacheLines.floatsToLineStart(first);
            int b = CacheLines.floatsToLineStart(second);
            assertTrue(a >= 0 && a < 16 && b >= 0 && b < 16, a + ", " + b);
            // floatsToLineStart falls by 12 (mod 16) when the elements start 48 bytes later.
            agreed += Math.floorMod(a - b, 16) == 12 ? 1 : 0;
        }
        // An allocation buffer may end between the two now and then, not in most attempts.
        assertTrue(agreed >= 15, agreed + " of 20 pairs 48 bytes apart");
    }

    @Test
    void realignedPanelsStartOnALineAndKeepTheirValues() {
        int n = 101;
        int d = 7;
        float[] raw = new float[n * d];
        for (int i = 0; i < raw.length; i++) {
            raw[i] = (float) Math.sin(i);
        }
        ItemVectors vectors = ItemVectors.of(new FeaturesInput.Embeddings(d, raw), n);
        float[] before = components(vectors);
        for (int origin = 0; origin < 16; origin++) {
            vectors.moveTo(origin);
            assertEquals(origin, vectors.origin);
            assertTrue(java.util.Arrays.equals(before, components(vectors)), "values after a move to " + origin);
        }
        // Nothing allocates between the two calls, so the collector has no reason to move the array there.
        vectors.realign();
        assertEquals(CacheLines.floatsToLineStart(vectors.panels), vectors.origin);
        assertEquals("aligned", vectors.lineAlignment());
        assertTrue(java.util.Arrays.equals(before, components(vectors)), "values after realign");
    }

    private static float[] components(ItemVectors vectors) {
        float[] values = new float[vectors.items() * vectors.dimension()];
        for (int i = 0; i < vectors.items(); i++) {
            for (int k = 0; k < vectors.dimension(); k++) {
                values[i * vectors.dimension() + k] = vectors.component(i, k);
            }
        }
        return values;
    }
}
