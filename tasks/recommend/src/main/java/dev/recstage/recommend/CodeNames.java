package dev.recstage.recommend;

import java.nio.charset.StandardCharsets;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VarCharVector;

/** The strings of a small dictionary-encoded column ({@code source}, {@code reason}), in code order. */
final class CodeNames {
    /** An upper bound of such a dictionary's bytes (values, offsets and validity of a few short names). */
    static final long MAX_BYTES = 256;

    private CodeNames() {
    }

    /** A vector of {@code names}; the caller closes it. */
    static VarCharVector vector(String column, String[] names, BufferAllocator allocator) {
        VarCharVector vector = new VarCharVector(column, allocator);
        for (int code = 0; code < names.length; code++) {
            vector.setSafe(code, names[code].getBytes(StandardCharsets.UTF_8));
        }
        vector.setValueCount(names.length);
        return vector;
    }
}
