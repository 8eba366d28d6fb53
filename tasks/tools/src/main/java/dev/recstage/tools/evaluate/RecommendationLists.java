package dev.recstage.tools.evaluate;

import dev.recstage.core.cli.StageException;
import dev.recstage.tools.arrow.Cells;
import dev.recstage.tools.arrow.IpcFile;
import dev.recstage.tools.generate.CsvOut;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Ranked lists per user in the full log's index space, with their scores and, from the recommend
 * stage, the history item each recommendation is {@code because} of.
 */
public record RecommendationLists(int[][] items, float[][] scores, String[][] because) {

    /** Lists of the users for which {@code wanted[u]} is non-null, from a recommend stage's user_recommendations.arrow. */
    public static RecommendationLists read(Path file, InteractionLog log, int[][] wanted, BufferAllocator allocator) {
        Map<String, Integer> users = index(log.userIds());
        Map<String, Integer> items = index(log.itemIds());
        List<List<Object[]>> rows = new ArrayList<>(wanted.length);
        for (int u = 0; u < wanted.length; u++) {
            rows.add(null);
        }
        try (IpcFile ipc = IpcFile.open(file, allocator)) {
            while (ipc.next()) {
                VectorSchemaRoot root = ipc.root();
                FieldVector user = column(root, "user_id", file);
                FieldVector item = column(root, "item_id", file);
                FieldVector score = column(root, "score", file);
                FieldVector because = column(root, "because", file);
                for (int r = 0; r < root.getRowCount(); r++) {
                    Integer u = users.get(String.valueOf(Cells.value(user, r, ipc.dictionaries())));
                    if (u == null || wanted[u] == null) {
                        continue; // a user of the training part without held-out events
                    }
                    Object id = Cells.value(item, r, ipc.dictionaries());
                    Integer i = items.get(String.valueOf(id));
                    if (i == null) {
                        throw StageException.input(file + ": item '" + id + "' is not in the catalogue");
                    }
                    if (rows.get(u) == null) {
                        rows.set(u, new ArrayList<>());
                    }
                    Object reason = Cells.value(because, r, ipc.dictionaries());
                    rows.get(u).add(new Object[] {i, ((Number) Cells.value(score, r, ipc.dictionaries())).floatValue(), reason == null ? null : reason.toString()});
                }
            }
        }
        int[][] lists = new int[wanted.length][];
        float[][] scores = new float[wanted.length][];
        String[][] reasons = new String[wanted.length][];
        for (int u = 0; u < wanted.length; u++) {
            List<Object[]> list = rows.get(u);
            if (list == null) {
                continue;
            }
            // The file is ordered by user then rank: rows arrive best first.
            lists[u] = list.stream().mapToInt(row -> (Integer) row[0]).toArray();
            scores[u] = new float[list.size()];
            reasons[u] = new String[list.size()];
            for (int r = 0; r < list.size(); r++) {
                scores[u][r] = (Float) list.get(r)[1];
                reasons[u][r] = (String) list.get(r)[2];
            }
        }
        return new RecommendationLists(lists, scores, reasons);
    }

    /** Lists without scores of their own (the popularity baseline): score = list length − rank + 1. */
    public static RecommendationLists ranked(int[][] lists) {
        float[][] scores = new float[lists.length][];
        for (int u = 0; u < lists.length; u++) {
            if (lists[u] != null) {
                scores[u] = new float[lists[u].length];
                for (int r = 0; r < lists[u].length; r++) {
                    scores[u][r] = lists[u].length - r;
                }
            }
        }
        return new RecommendationLists(lists, scores, new String[lists.length][]);
    }

    /** lists/ROW.csv: user_id,item_id,rank,score; rank is 1-based and is what was scored. */
    public void writeCsv(Path file, InteractionLog log) {
        try (CsvOut out = new CsvOut(file, "user_id", "item_id", "rank", "score")) {
            for (int u = 0; u < items.length; u++) {
                if (items[u] == null) {
                    continue;
                }
                for (int r = 0; r < items[u].length; r++) {
                    out.row(log.userIds()[u], log.itemIds()[items[u][r]], Integer.toString(r + 1), Float.toString(scores[u][r]));
                }
            }
        }
    }

    private static FieldVector column(VectorSchemaRoot root, String name, Path file) {
        FieldVector vector = root.getVector(name);
        if (vector == null) {
            throw StageException.input(file + ": no column '" + name + "'");
        }
        return vector;
    }

    private static Map<String, Integer> index(String[] ids) {
        Map<String, Integer> index = new HashMap<>(ids.length * 2);
        for (int i = 0; i < ids.length; i++) {
            index.put(ids[i], i);
        }
        return index;
    }
}
