package dev.recstage.tools.arrow;

import dev.recstage.tools.Console;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Field;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code export}: every row of an Arrow IPC file as CSV or JSON Lines, batch by batch, with
 * dictionary-encoded columns as their strings (neighbour files come out with string ids) and
 * timestamps in ISO-8601. A file of a sharded stage output is exported whole, shard after shard.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Write all rows of an Arrow IPC file as CSV or JSON Lines (to --out, else stdout).")
public class ExportCommand implements Runnable {
    public enum Format { csv, jsonl }

    @Parameters(index = "0", paramLabel = "FILE.arrow", description = "The Arrow IPC file (file or stream format), or DIR/NAME.arrow of a sharded stage output (all shards, in order).")
    Path file;

    @Option(names = "--format", required = true, description = "csv or jsonl.")
    Format format;

    @Option(names = "--out", description = "File to write (default: standard output).")
    Path out;

    @Override
    public void run() {
        try (BufferAllocator allocator = new RootAllocator(); IpcTable ipc = IpcTable.open(file, allocator)) {
            if (out == null) {
                Writer stdout = Console.out();
                export(ipc, stdout);
                stdout.flush();
            } else {
                try (Writer target = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
                    export(ipc, target);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + (out == null ? "standard output" : out), e);
        }
    }

    private void export(IpcTable ipc, Writer target) throws IOException {
        List<String> columns = ipc.schema().getFields().stream().map(Field::getName).toList();
        try (RowWriter rows = format == Format.csv ? RowWriter.csv(target, columns) : RowWriter.jsonLines(target, columns)) {
            Object[] row = new Object[columns.size()];
            while (ipc.next()) {
                VectorSchemaRoot root = ipc.root();
                List<FieldVector> vectors = root.getFieldVectors();
                for (int r = 0; r < root.getRowCount(); r++) {
                    for (int c = 0; c < row.length; c++) {
                        row[c] = Cells.value(vectors.get(c), r, ipc.dictionaries());
                    }
                    rows.write(row);
                }
            }
        }
    }
}
