package dev.recstage.tools.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunLayoutTest {
    @TempDir
    Path dir;

    @Test
    void demoNames() throws Exception {
        for (String stage : new String[] {"features", "content", "behavior", "recommend"}) {
            Files.createDirectories(dir.resolve(stage));
        }
        RunLayout layout = new RunLayout(dir);
        assertEquals(dir.resolve("features"), layout.features());
        assertEquals(Optional.of(dir.resolve("content")), layout.content());
        assertEquals(Optional.of(dir.resolve("behavior")), layout.behavior());
        assertEquals(Optional.of(dir.resolve("recommend")), layout.recommend());
    }

    @Test
    void dagNamesAndAbsentStages() throws Exception {
        Files.createDirectories(dir.resolve("content-similarity"));
        Files.createDirectories(dir.resolve("behavior-cooccurrence"));
        Files.writeString(dir.resolve("behavior-cooccurrence/behavior_neighbors.arrow"), "");
        RunLayout layout = new RunLayout(dir);
        assertEquals(Optional.of(dir.resolve("content-similarity")), layout.content());
        assertEquals(Optional.of(dir.resolve("behavior-cooccurrence")), layout.behavior());
        assertEquals(Optional.empty(), layout.recommend());
        assertEquals(Optional.of(dir.resolve("behavior-cooccurrence/behavior_neighbors.arrow")),
                RunLayout.file(layout.behavior(), "behavior_neighbors.arrow"));
        assertEquals(Optional.empty(), RunLayout.file(layout.content(), "content_neighbors.arrow"));
        assertEquals(Optional.empty(), RunLayout.file(layout.recommend(), "related_items.arrow"));
    }
}
