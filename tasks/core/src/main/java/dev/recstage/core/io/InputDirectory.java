package dev.recstage.core.io;

import dev.recstage.core.cli.StageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A stage's output read as the next stage's input: refused unless its manifest is there and
 * every file it lists exists with the listed size.
 */
public final class InputDirectory {
    private final Path dir;
    private final Manifest manifest;

    private InputDirectory(Path dir, Manifest manifest) {
        this.dir = dir;
        this.manifest = manifest;
    }

    public static InputDirectory open(Path dir, String expectedStage) {
        Path manifestFile = dir.resolve(Manifest.FILE_NAME);
        if (!Files.isDirectory(dir)) {
            throw StageException.input("input directory " + dir + " does not exist");
        }
        if (!Files.isRegularFile(manifestFile)) {
            throw StageException.input(dir + " has no " + Manifest.FILE_NAME
                    + ": it is not a finished output of the " + expectedStage + " stage (run that stage first, or point to its --out)");
        }
        Manifest manifest;
        try {
            manifest = Json.MAPPER.readValue(manifestFile.toFile(), Manifest.class);
        } catch (IOException e) {
            throw StageException.input(manifestFile + " cannot be read: " + e.getMessage(), e);
        }
        if (!expectedStage.equals(manifest.stage)) {
            throw StageException.input(manifestFile + ": written by stage '" + manifest.stage + "', expected '" + expectedStage + "'");
        }
        if (manifest.formatVersion != Manifest.FORMAT_VERSION) {
            throw StageException.input(manifestFile + ": format version " + manifest.formatVersion + " found, "
                    + Manifest.FORMAT_VERSION + " expected (rerun the " + expectedStage + " stage with this version)");
        }
        for (Manifest.OutputFile out : manifest.outputs) {
            Path file = dir.resolve(out.file());
            try {
                long bytes = Files.size(file);
                if (bytes != out.bytes()) {
                    throw StageException.input(file + " is " + bytes + " bytes but " + manifestFile + " lists "
                            + out.bytes() + ": the directory was changed after it was written");
                }
            } catch (IOException e) {
                throw StageException.input(file + " is listed in " + manifestFile + " but missing");
            }
        }
        return new InputDirectory(dir, manifest);
    }

    public Manifest manifest() {
        return manifest;
    }

    public Path dir() {
        return dir;
    }

    public boolean has(String file) {
        return manifest.output(file) != null;
    }

    /** A listed file; exit 3 when the manifest does not list it. */
    public Path file(String name) {
        if (!has(name)) {
            throw StageException.input(dir.resolve(Manifest.FILE_NAME) + " lists no " + name);
        }
        return dir.resolve(name);
    }
}
