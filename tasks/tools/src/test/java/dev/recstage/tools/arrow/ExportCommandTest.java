package dev.recstage.tools.arrow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.recstage.core.cli.ExitCode;
import dev.recstage.tools.CsvRows;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.impl.UnionListWriter;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@QuarkusMainTest
class ExportCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void neighborsFileExportsToCsvWithStringIdsAcrossBatches(QuarkusMainLauncher launcher) throws Exception {
        Path file = dir.resolve("content_neighbors.arrow");
        List<List<String>> expected = Fixtures.writeNeighbors(file, 300, 250); // 75,000 rows: two record batches
        Path csv = dir.resolve("n.csv");
        LaunchResult result = launcher.launch("export", file.toString(), "--format", "csv", "--out", csv.toString());
        assertEquals(0, result.exitCode(), result.getErrorOutput());
        CsvRows rows = CsvRows.read(csv);
        assertEquals(List.of("item_id", "neighbor_id", "score", "rank"), rows.header());
        assertEquals(expected, rows.rows().stream().map(r -> List.copyOf(r.values())).toList());
    }

    @Test
    void neighborsFileExportsToJsonLinesOnStandardOutput(QuarkusMainLauncher launcher) throws Exception {
        Path file = dir.resolve("behavior_neighbors.arrow");
        List<List<String>> expected = Fixtures.writeNeighbors(file, 40, 5);
        LaunchResult result = launcher.launch("export", file.toString(), "--format", "jsonl");
        assertEquals(0, result.exitCode(), result.getErrorOutput());
        List<String> lines = result.getOutputStream();
        assertEquals(expected.size(), lines.size());
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            assertTrue(line.startsWith("{") && line.endsWith("}"), "one object per line: '" + line + "'");
            JsonNode row = JSON.readTree(line);
            assertEquals(List.of("item_id", "neighbor_id", "score", "rank"), fieldNames(row));
            assertEquals(expected.get(i).get(0), row.get("item_id").textValue());
            assertEquals(expected.get(i).get(1), row.get("neighbor_id").textValue());
            assertEquals(Float.parseFloat(expected.get(i).get(2)), row.get("score").floatValue());
            assertEquals(Integer.parseInt(expected.get(i).get(3)), row.get("rank").intValue());
        }
    }

    @Test
    void itemsExportWithDecodedCategoriesIsoTimesAndNulls(QuarkusMainLauncher launcher) throws Exception {
        Path file = dir.resolve("items.arrow");
        Fixtures.writeItems(file, "1");
        Path csv = dir.resolve("items.csv");
        assertEquals(0, launcher.launch("export", file.toString(), "--format", "csv", "--out", csv.toString()).exitCode());
        CsvRows rows = CsvRows.read(csv);
        List<List<String>> expectedCsv = Fixtures.items().stream()
                .map(r -> r.stream().map(v -> v == null ? "" : v).toList()).toList(); // CSV has no null
        assertEquals(expectedCsv, rows.rows().stream().map(r -> List.copyOf(r.values())).toList());

        Path jsonl = dir.resolve("items.jsonl");
        assertEquals(0, launcher.launch("export", file.toString(), "--format", "jsonl", "--out", jsonl.toString()).exitCode());
        List<String> lines = Files.readAllLines(jsonl);
        List<List<String>> expected = Fixtures.items();
        assertEquals(expected.size(), lines.size());
        for (int r = 0; r < lines.size(); r++) {
            JsonNode row = JSON.readTree(lines.get(r));
            assertEquals(r, row.get("item").intValue(), "integers stay numbers");
            List<String> values = new ArrayList<>();
            row.fields().forEachRemaining(e -> values.add(e.getValue().isNull() ? null : e.getValue().asText()));
            assertEquals(expected.get(r), values);
        }
    }

    @Test
    void streamFormatWithListColumnExports(QuarkusMainLauncher launcher) throws Exception {
        Path file = dir.resolve("stream.arrows");
        Field values = new Field("values", FieldType.nullable(new ArrowType.List()),
                List.of(new Field("item", FieldType.nullable(new ArrowType.Int(64, true)), null)));
        Schema schema = new Schema(List.of(new Field("n", FieldType.nullable(new ArrowType.Int(64, true)), null), values));
        try (BufferAllocator allocator = new RootAllocator(); VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator);
             FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             ArrowStreamWriter writer = new ArrowStreamWriter(root, null, channel)) {
            writer.start();
            BigIntVector n = (BigIntVector) root.getVector("n");
            UnionListWriter lists = ((ListVector) root.getVector("values")).getWriter();
            for (int r = 0; r < 3; r++) {
                n.setSafe(r, r);
                lists.setPosition(r);
                lists.startList();
                for (int k = 0; k < r; k++) {
                    lists.bigInt().writeBigInt(10L * r + k);
                }
                lists.endList();
            }
            root.setRowCount(3);
            writer.writeBatch();
            writer.end();
        }
        LaunchResult result = launcher.launch("export", file.toString(), "--format", "csv");
        assertEquals(0, result.exitCode(), result.getErrorOutput());
        CsvRows rows = CsvRows.parse(result.getOutput() + "\n");
        assertEquals(List.of(Map.of("n", "0", "values", "[]"), Map.of("n", "1", "values", "[10]"), Map.of("n", "2", "values", "[20,21]")),
                rows.rows());
    }

    @Test
    void unknownFormatIsAUsageErrorAndGarbageAnInputError(QuarkusMainLauncher launcher) throws Exception {
        Path file = dir.resolve("n.arrow");
        Fixtures.writeNeighbors(file, 3, 2);
        assertEquals(ExitCode.USAGE, launcher.launch("export", file.toString(), "--format", "xml").exitCode());
        Path garbage = dir.resolve("garbage.arrow");
        Files.write(garbage, "item_id,neighbor_id\nA,B\n".getBytes());
        LaunchResult result = launcher.launch("export", garbage.toString(), "--format", "csv");
        assertEquals(ExitCode.INPUT_DATA, result.exitCode());
        assertTrue(result.getErrorOutput().contains(garbage + " is not an Arrow IPC file"), result.getErrorOutput());
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
