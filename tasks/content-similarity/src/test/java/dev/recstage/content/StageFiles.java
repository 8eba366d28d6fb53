package dev.recstage.content;

import com.fasterxml.jackson.databind.JsonNode;
import dev.recstage.core.io.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What the command tests read back from a stage's output directory. */
final class StageFiles {
    private StageFiles() {
    }

    static JsonNode manifest(Path out) {
        try {
            return Json.MAPPER.readTree(out.resolve("manifest.json").toFile());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static byte[] bytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
