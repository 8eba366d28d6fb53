package dev.recstage.tools.arrow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recstage.core.cli.ExitCode;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@QuarkusMainTest
class InspectCommandTest {
    @TempDir
    Path dir;

    @Test
    void showsSchemaMetadataRowsDictionariesAndDecodedFirstRows(QuarkusMainLauncher launcher) {
        Path file = dir.resolve("content_neighbors.arrow");
        List<List<String>> rows = Fixtures.writeNeighbors(file, 5, 3);
        LaunchResult result = launcher.launch("inspect", file.toString(), "--rows", "4");
        assertEquals(0, result.exitCode(), result.getErrorOutput());
        List<String> out = result.getOutputStream();
        String text = String.join("\n", out);
        assertTrue(out.get(0).startsWith("file: " + file + " ("), text);
        assertTrue(out.contains("  item_id: dictionary<values=utf8, indices=int32, id=3> not null"), text);
        assertTrue(out.contains("  neighbor_id: dictionary<values=utf8, indices=int32, id=4> not null"), text);
        assertTrue(out.contains("  score: float32 not null"), text);
        assertTrue(out.contains("  rank: int16 not null"), text);
        assertTrue(out.contains("  recstage.table = neighbors"), text);
        assertTrue(out.contains("  recstage.schema_version = 1"), text);
        assertTrue(out.contains("rows: 15 in 1 record batches"), text);
        assertTrue(out.contains("  3: 5 values") && out.contains("  4: 5 values"), text);
        int header = out.indexOf("first 4 rows:");
        assertTrue(header > 0, text);
        assertEquals(List.of("item_id", "neighbor_id", "score", "rank"), List.of(out.get(header + 1).trim().split("\\s+")));
        assertEquals(header + 6, out.size(), "header line and four rows: " + text);
        for (int r = 0; r < 4; r++) {
            assertEquals(rows.get(r), List.of(out.get(header + 2 + r).trim().split("\\s+")));
        }
    }

    @Test
    void opensFilesOfAnotherSchemaVersionAndSaysTheStagesWillRefuseThem(QuarkusMainLauncher launcher) {
        Path file = dir.resolve("items.arrow");
        Fixtures.writeItems(file, "0");
        LaunchResult result = launcher.launch("inspect", file.toString());
        assertEquals(0, result.exitCode(), result.getErrorOutput());
        String text = result.getOutput();
        assertTrue(text.contains("recstage.schema_version = 0"), text);
        assertTrue(text.contains("reads schema version 1: the stages will refuse this file"), text);
        assertTrue(text.contains("category: dictionary<values=utf8, indices=int8, id=1>"), text);
        assertTrue(text.contains("create_time: timestamp[s, tz=UTC]"), text);
        assertTrue(text.contains("first 3 rows:"), text);
        assertTrue(text.contains("title 0\\nline two") && text.contains("健康") && text.contains("2023-11-14T22:13:20Z"), text);
    }

    @Test
    void missingTruncatedAndForeignFilesAreInputErrors(QuarkusMainLauncher launcher) throws Exception {
        Path missing = dir.resolve("missing.arrow");
        LaunchResult result = launcher.launch("inspect", missing.toString());
        assertEquals(ExitCode.INPUT_DATA, result.exitCode());
        assertTrue(result.getErrorOutput().contains(missing + " does not exist"), result.getErrorOutput());

        Path file = dir.resolve("n.arrow");
        Fixtures.writeNeighbors(file, 50, 10);
        byte[] bytes = Files.readAllBytes(file);
        Path truncated = dir.resolve("truncated.arrow");
        Files.write(truncated, Arrays.copyOf(bytes, bytes.length * 2 / 3));
        result = launcher.launch("inspect", truncated.toString());
        assertEquals(ExitCode.INPUT_DATA, result.exitCode());
        assertTrue(result.getErrorOutput().contains(truncated + " is not a readable Arrow IPC file"), result.getErrorOutput());

        Path text = dir.resolve("items.csv");
        Files.writeString(text, "item_id\nA\n");
        assertEquals(ExitCode.INPUT_DATA, launcher.launch("inspect", text.toString()).exitCode());
    }

    @Test
    void itemPrintsOnlyThatItemsRowsOfAMultiBatchNeighboursFile(QuarkusMainLauncher launcher) {
        Path file = dir.resolve("content_neighbors.arrow");
        List<List<String>> rows = Fixtures.writeNeighbors(file, 5000, 20); // 100,000 rows: two record batches
        for (String item : List.of("id-0", "id-3276", "id-3277", "id-4999")) {
            LaunchResult result = launcher.launch("inspect", file.toString(), "--item", item);
            assertEquals(0, result.exitCode(), result.getErrorOutput());
            List<String> out = result.getOutputStream();
            assertEquals(file + ": 20 rows of item " + item + " (searched by item)", out.get(0));
            List<List<String>> expected = rows.stream().filter(row -> row.get(0).equals(item)).toList();
            List<List<String>> printed = out.subList(2, out.size()).stream().map(line -> List.of(line.trim().split("\\s+"))).toList();
            assertEquals(expected, printed, item);
        }
        LaunchResult unknown = launcher.launch("inspect", file.toString(), "--item", "id-5000");
        assertEquals(0, unknown.exitCode(), unknown.getErrorOutput());
        assertEquals(file + ": 0 rows of item id-5000 (searched by item)", unknown.getOutputStream().get(0));
    }

    @Test
    void featuresPutTitlesBesideIds(QuarkusMainLauncher launcher) {
        Path features = dir.resolve("features");
        Fixtures.writeItems(createDirectories(features).resolve("items.arrow"), "1");
        Path file = dir.resolve("behavior_neighbors.arrow");
        Fixtures.writeNeighbors(file, 3, 2);
        LaunchResult result = launcher.launch("inspect", file.toString(), "--item", "id-0", "--features", features.toString());
        assertEquals(0, result.exitCode(), result.getErrorOutput());
        List<String> out = result.getOutputStream();
        assertEquals(List.of("item_id", "item_id:title", "neighbor_id", "neighbor_id:title", "score", "rank"),
                List.of(out.get(1).trim().split("\\s+")));
        // Item 0's neighbours are items 1 (no title: an empty cell) and 2 (Fixtures.neighbor); line breaks in titles become spaces.
        assertTrue(out.get(2).matches("\\s*id-0\\s+title 0 line two\\s+id-1\\s+1\\.0\\s+1"), out.get(2));
        assertTrue(out.get(3).matches("\\s*id-0\\s+title 0 line two\\s+id-2\\s+title 2 line two\\s+[0-9.]+\\s+2"), out.get(3));
    }

    private static Path createDirectories(Path dir) {
        try {
            return Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
