package dev.recstage.core.io;

import dev.recstage.core.cli.StageException;
import dev.recstage.core.memory.ByteSize;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The bytes a run will write under its output directory (outputs, spills, everything staged),
 * file by file, estimated from the inputs and settings before the work, so that a volume without
 * room for them ends the run at once (exit 5) instead of after minutes of work. Each estimate is
 * meant as an upper bound; the manifest records it beside the real sizes.
 */
public final class DiskPlan {
    /** The manifest, and each file's last partly used block of the file system. */
    static final long MANIFEST_BYTES = 256L << 10;
    static final long BLOCK_BYTES = 64L << 10;

    private final Map<String, Long> files = new LinkedHashMap<>();

    /** Adds a file of at most {@code bytes}; a name given twice adds up. */
    public DiskPlan file(String name, long bytes) {
        files.merge(name, Math.max(0, bytes), Math::addExact);
        return this;
    }

    public Map<String, Long> files() {
        return Collections.unmodifiableMap(files);
    }

    public long totalBytes() {
        return files.values().stream().mapToLong(Long::longValue).sum() + MANIFEST_BYTES + BLOCK_BYTES * files.size();
    }

    public String describe() {
        StringBuilder text = new StringBuilder();
        files.forEach((name, bytes) -> text.append(name).append(' ').append(ByteSize.mb(bytes)).append(", "));
        return text.append("manifest and block rounding ").append(ByteSize.mb(MANIFEST_BYTES + BLOCK_BYTES * files.size()))
                .append("; total ").append(ByteSize.mb(totalBytes())).toString();
    }

    /** Exit 5 saying what is needed, what is free and where, when {@code usableBytes} cannot hold the plan. */
    public void requireFits(long usableBytes, Path out) {
        if (totalBytes() > usableBytes) {
            throw StageException.diskSpace("not enough disk space for --out " + out + ": the run writes up to "
                    + ByteSize.mb(totalBytes()) + " [" + describe() + "] but only " + ByteSize.mb(usableBytes)
                    + " are free on the volume of " + out.getParent() + " (free space there, or choose --out on a larger volume)");
        }
    }
}
