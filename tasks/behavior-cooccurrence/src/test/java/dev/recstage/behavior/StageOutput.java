package dev.recstage.behavior;

import dev.recstage.core.arrow.Schemas;
import dev.recstage.core.arrow.TableReader;
import dev.recstage.core.config.EngineOptions;
import dev.recstage.core.config.Shard;
import dev.recstage.core.features.FeaturesInput;
import dev.recstage.core.stage.StageRun;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.VarCharVector;

/** Runs the stage in-process (no Quarkus) and reads its neighbours file back. */
final class StageOutput {
    /** One row of the neighbours file, ids decoded. */
    record Row(String itemId, String neighborId, float score, int rank) {
    }

    private StageOutput() {
    }

    static Path run(Path features, Path out, BehaviorSettings settings, EngineOptions options, Shard shard) {
        FeaturesInput input = FeaturesInput.open(features);
        try (StageRun run = StageRun.start(BehaviorStage.STAGE, out)) {
            new BehaviorStage(run, input, settings, options, shard).execute();
            run.commit();
        }
        return out.resolve(BehaviorStage.OUTPUT_FILE);
    }

    static List<Row> read(Path file) {
        List<Row> rows = new ArrayList<>();
        try (BufferAllocator allocator = new RootAllocator();
             TableReader reader = TableReader.open(file, Schemas.NEIGHBORS, allocator)) {
            while (reader.next()) {
                IntVector item = reader.vector("item_id", IntVector.class);
                IntVector neighbor = reader.vector("neighbor_id", IntVector.class);
                Float4Vector score = reader.vector("score", Float4Vector.class);
                SmallIntVector rank = reader.vector("rank", SmallIntVector.class);
                VarCharVector items = reader.dictionary(Schemas.ITEM_ID_DICTIONARY);
                VarCharVector neighbors = reader.dictionary(Schemas.NEIGHBOR_ID_DICTIONARY);
                for (int r = 0; r < reader.root().getRowCount(); r++) {
                    rows.add(new Row(text(items, item.get(r)), text(neighbors, neighbor.get(r)), score.get(r), rank.get(r)));
                }
            }
        }
        return rows;
    }

    private static String text(VarCharVector dictionary, int code) {
        return new String(dictionary.get(code), StandardCharsets.UTF_8);
    }
}
