package dev.recstage.content.vector;

import java.lang.reflect.Field;

/**
 * Where a float array's elements stand against the CPU's 64-byte cache lines, so that the vector
 * kernel's SIMD loads can start on a line: a 64-byte load that straddles two lines costs the
 * kernel about a fifth of its speed (on AVX-512: 103-113 against 127-148 GFLOP/s on one core;
 * README, Benchmarks, the vectors bullet "exact, since 810d888"). Java gives no address of a heap array, so this reads the
 * array's reference as the JVM stores it (sun.misc.Unsafe) and decodes it; any JVM where that does
 * not work out (no Unsafe, another reference layout) answers "unknown", and the data are then
 * simply not aligned. Only speed depends on the answer, never a result.
 */
final class CacheLines {
    static final int LINE_BYTES = 64;
    /** Floats an array needs beyond its data so that the data can start on a line wherever the array lies. */
    static final int FLOAT_SLACK = LINE_BYTES / Float.BYTES - 1;
    static final int UNKNOWN = -1;

    private static final AddressReader READER = AddressReader.open();

    private CacheLines() {
    }

    /**
     * How many elements to skip so that {@code array[skip]} starts a cache line (0 to 15), or
     * {@link #UNKNOWN}. Valid until the garbage collector moves the array.
     */
    static int floatsToLineStart(float[] array) {
        if (READER == null) {
            return UNKNOWN;
        }
        long address = READER.firstElement(array);
        return (int) ((LINE_BYTES - address % LINE_BYTES) % LINE_BYTES) / Float.BYTES;
    }

    /** Whether the JVM can tell this class where arrays lie (for the log). */
    static boolean known() {
        return READER != null;
    }

    /** Reads an object's address from its reference, compressed or not. */
    private static final class AddressReader {
        private final sun.misc.Unsafe unsafe;
        private final long referenceSlot;
        private final long floatBase;
        /** log2 of the scale of a compressed reference, or -1 for full 8-byte references. */
        private final int compressedShift;

        private AddressReader(sun.misc.Unsafe unsafe, int compressedShift) {
            this.unsafe = unsafe;
            this.referenceSlot = unsafe.arrayBaseOffset(Object[].class);
            this.floatBase = unsafe.arrayBaseOffset(float[].class);
            this.compressedShift = compressedShift;
        }

        /** A reader when this JVM's references can be decoded, else null. */
        static AddressReader open() {
            try {
                Field field = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
                field.setAccessible(true);
                sun.misc.Unsafe unsafe = (sun.misc.Unsafe) field.get(null);
                if (unsafe.arrayIndexScale(Object[].class) == 8) {
                    return new AddressReader(unsafe, -1);
                }
                int shift = compressedShift(unsafe);
                return shift < 0 ? null : new AddressReader(unsafe, shift);
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                return null;
            }
        }

        /**
         * A compressed reference is (address − heap base) >> shift, the base a multiple of far more than
         * a line. Two arrays allocated one after the other lie one object size apart, so their references
         * differ by that size >> shift; a gap of any other size (the allocation buffer ran out between
         * them) is tried again.
         */
        private static int compressedShift(sun.misc.Unsafe unsafe) {
            long slot = unsafe.arrayBaseOffset(Object[].class);
            long size = (unsafe.arrayBaseOffset(long[].class) + Long.BYTES + 7) / 8 * 8;
            for (int attempt = 0; attempt < 16; attempt++) {
                Object[] pair = {new long[1], new long[1]};
                long gap = (unsafe.getInt(pair, slot + 4) & 0xffffffffL) - (unsafe.getInt(pair, slot) & 0xffffffffL);
                for (int shift = 0; shift <= 4; shift++) {
                    if (gap << shift == size) {
                        return shift;
                    }
                }
            }
            return -1;
        }

        long firstElement(Object array) {
            Object[] holder = {array};
            long reference = compressedShift < 0
                    ? unsafe.getLong(holder, referenceSlot)
                    : (unsafe.getInt(holder, referenceSlot) & 0xffffffffL) << compressedShift;
            return reference + floatBase;
        }
    }
}
