package dev.recstage.content.incremental;

import dev.recstage.core.io.InputDirectory;
import dev.recstage.core.io.Manifest;
import dev.recstage.core.io.StageOutput;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.arrow.memory.BufferAllocator;

/**
 * The full content output an incremental run merges into ({@code --previous DIR}, sharded or not),
 * and whether it can: it must have been scored with the same model bytes, the same settings that
 * shape scores, text only, and list its items' text hashes. Otherwise the run is a full one, and
 * says why.
 */
public final class PreviousRun {
    /** Settings that change how a run computes, not what it outputs. */
    private static final Set<String> NOT_SHAPING = Set.of("SIMILARITY_BATCH_SIZE", "SIMILARITY_THREADS", "shard");

    private final StageOutput output;

    private PreviousRun(StageOutput output) {
        this.output = output;
    }

    /** Exit 3 when {@code dir} is not a complete content-similarity output. */
    public static PreviousRun open(Path dir, String stage) {
        return new PreviousRun(StageOutput.open(dir, stage));
    }

    /**
     * Why this run cannot merge into the previous output, or null when it can.
     *
     * @param model           the model file this run scores with
     * @param modelFileName   the model's name inside an output
     * @param neighborsFile   the neighbours table's name inside an output
     * @param config          this run's settings as the manifest records them
     */
    public String mismatch(Path model, String modelFileName, String neighborsFile, Map<String, String> config) {
        Manifest previous = output.firstManifest();
        if (!output.has(ItemTextHashes.FILE_NAME) || !output.has(modelFileName) || !output.has(neighborsFile)) {
            return output.dir() + " lists no " + ItemTextHashes.FILE_NAME + ", " + modelFileName + " or " + neighborsFile
                    + " (written by an older version?)";
        }
        if (!"0".equals(previous.config.get("vectors_used"))) {
            return output.dir() + " blended embedding neighbours into its content neighbours";
        }
        for (Map.Entry<String, String> setting : config.entrySet()) {
            String before = previous.config.get(setting.getKey());
            if (!NOT_SHAPING.contains(setting.getKey()) && !setting.getValue().equals(before)) {
                return output.dir() + " ran with " + setting.getKey() + "=" + before + ", this run with " + setting.getValue();
            }
        }
        if (!sameBytes(model, output.parts().get(0).file(modelFileName))) {
            return output.dir() + " was scored with another model than " + model;
        }
        return null;
    }

    /** Spare neighbours per item the previous run kept in {@code sparesFile} (CONTENT_INCREMENTAL_SPARES), 0 without the file. */
    public int spares(String sparesFile) {
        String spares = output.firstManifest().config.get("CONTENT_INCREMENTAL_SPARES");
        return spares == null || !output.has(sparesFile) ? 0 : Integer.parseInt(spares);
    }

    public ItemTextHashes.Catalogue catalogue(BufferAllocator allocator) {
        return ItemTextHashes.read(output.parts().get(0).file(ItemTextHashes.FILE_NAME), allocator);
    }

    /** The previous neighbours table's files in shard order. */
    public List<Path> files(String name) {
        return output.files(name);
    }

    /** The manifests of the parts, for the run's inputs. */
    public List<Path> manifests() {
        return output.parts().stream().map(InputDirectory::dir).map(dir -> dir.resolve(Manifest.FILE_NAME)).toList();
    }

    private static boolean sameBytes(Path a, Path b) {
        try {
            return Files.mismatch(a, b) == -1;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot compare " + a + " with " + b, e);
        }
    }
}
