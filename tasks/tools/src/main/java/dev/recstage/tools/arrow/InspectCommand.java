package dev.recstage.tools.arrow;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.recstage.core.arrow.Schemas;
import dev.recstage.core.cli.StageException;
import dev.recstage.core.memory.ByteSize;
import dev.recstage.tools.Console;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.types.pojo.DictionaryEncoding;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code inspect}: what an Arrow IPC file holds: schema, metadata, rows, dictionaries and its first rows decoded. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Show the schema, metadata, row count, dictionaries and first rows of an Arrow IPC file.")
public class InspectCommand implements Runnable {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Parameters(index = "0", paramLabel = "FILE.arrow", description = "The Arrow IPC file (file or stream format), or DIR/NAME.arrow of a sharded stage output (all shards, in order).")
    Path file;

    @Option(names = "--rows", defaultValue = "10", description = "How many first rows to show (default: ${DEFAULT-VALUE}).")
    int rows;

    @Override
    public void run() {
        if (rows < 0) {
            throw StageException.usage("--rows must be at least 0, got " + rows);
        }
        PrintWriter out = Console.out();
        try (BufferAllocator allocator = new RootAllocator(); IpcTable ipc = IpcTable.open(file, allocator)) {
            Schema schema = ipc.schema();
            List<List<String>> firstRows = new ArrayList<>();
            long rowCount = 0;
            int batches = 0;
            while (ipc.next()) {
                VectorSchemaRoot root = ipc.root();
                batches++;
                for (int r = 0; r < root.getRowCount() && firstRows.size() < rows; r++) {
                    List<String> cells = new ArrayList<>();
                    for (FieldVector column : root.getFieldVectors()) {
                        cells.add(TextTable.cell(Cells.text(Cells.value(column, r, ipc.dictionaries()), JSON)));
                    }
                    firstRows.add(cells);
                }
                rowCount += root.getRowCount();
            }
            if (ipc.files().size() == 1) {
                out.printf("file: %s (%s, %s)%n", file, ByteSize.mb(size(ipc.files().get(0))), ipc.format());
            } else {
                long bytes = ipc.files().stream().mapToLong(InspectCommand::size).sum();
                out.printf("file: %s (%s, %s in %d shards: %s)%n", file, ByteSize.mb(bytes), ipc.format(), ipc.files().size(),
                        ipc.files().stream().map(p -> p.getParent().getFileName().toString()).collect(Collectors.joining(", ")));
            }
            out.println("schema:");
            for (Field field : schema.getFields()) {
                out.println("  " + field.getName() + ": " + describe(field, ipc.dictionaryMap()));
            }
            printMetadata(out, schema.getCustomMetadata());
            out.printf("rows: %d in %d record batches%n", rowCount, batches);
            out.println("dictionaries:" + (ipc.dictionaryMap().isEmpty() ? " none" : ""));
            for (Map.Entry<Long, Dictionary> entry : ipc.dictionaryMap().entrySet()) {
                out.printf("  %d: %d values%n", entry.getKey(), entry.getValue().getVector().getValueCount());
            }
            out.printf("first %d rows:%n", firstRows.size());
            List<String> header = schema.getFields().stream().map(Field::getName).toList();
            TextTable.print(out, header, firstRows);
        } finally {
            out.flush();
        }
    }

    private static String describe(Field field, Map<Long, Dictionary> dictionaries) {
        DictionaryEncoding encoding = field.getDictionary();
        String nullable = field.isNullable() ? "" : " not null";
        if (encoding == null) {
            return TypeNames.of(field) + nullable;
        }
        Dictionary dictionary = dictionaries.get(encoding.getId());
        String values = dictionary == null ? "?" : TypeNames.of(dictionary.getVector().getField());
        return "dictionary<values=" + values + ", indices=" + TypeNames.of(field) + ", id=" + encoding.getId() + ">" + nullable;
    }

    private static void printMetadata(PrintWriter out, Map<String, String> metadata) {
        out.println("metadata:" + (metadata == null || metadata.isEmpty() ? " none" : ""));
        if (metadata == null) {
            return;
        }
        metadata.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> out.println("  " + e.getKey() + " = " + e.getValue()));
        String version = metadata.get(Schemas.VERSION_KEY);
        if (version != null && !version.equals(Integer.toString(Schemas.VERSION))) {
            out.println("  (this build of recstage reads schema version " + Schemas.VERSION + ": the stages will refuse this file)");
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
