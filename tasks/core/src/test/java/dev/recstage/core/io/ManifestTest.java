package dev.recstage.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ManifestTest {
    private static Manifest full() {
        Manifest manifest = new Manifest();
        manifest.stage = "behavior-cooccurrence";
        manifest.created = "2026-01-02T03:04:05Z";
        manifest.inputs.add(new Manifest.InputFile("/data/features/interactions.arrow", 1234));
        manifest.outputs.add(new Manifest.OutputFile("behavior_neighbors.arrow", 5678, 90L));
        manifest.outputs.add(new Manifest.OutputFile("rejects.csv", 12, null));
        manifest.config.put("SIMILARITY_TOP_K", "200");
        manifest.config.put("BEHAVIOR_SIMILARITY_TOP_K", "50");
        manifest.counts.put("interactions", new Manifest.RowCounts(100, 97, Map.of("duplicate", 3L)));
        manifest.stats.put("as_of", "2025-01-01T00:00:00Z");
        manifest.stats.put("users_capped", 4);
        manifest.steps.add(new Manifest.Step("top-k", 1.25, 300L << 20, 100L << 20, 20L << 20));
        manifest.memory = new Manifest.Memory(400L << 20, 150L << 20, 30L << 20, 1L << 30, 768L << 20);
        return manifest;
    }

    @Test
    void roundTripsThroughJson() throws Exception {
        Manifest manifest = full();
        String json = Json.MAPPER.writeValueAsString(manifest);
        Manifest back = Json.MAPPER.readValue(json, Manifest.class);
        assertEquals(manifest.stage, back.stage);
        assertEquals(manifest.formatVersion, back.formatVersion);
        assertEquals(manifest.created, back.created);
        assertEquals(manifest.inputs, back.inputs);
        assertEquals(manifest.outputs, back.outputs);
        assertEquals(manifest.config, back.config);
        assertEquals(manifest.counts, back.counts);
        assertEquals(manifest.steps, back.steps);
        assertEquals(manifest.memory, back.memory);
        assertEquals(Map.of("as_of", "2025-01-01T00:00:00Z", "users_capped", 4), back.stats);
        assertEquals(json, Json.MAPPER.writeValueAsString(back), "stable: writing it again gives the same text");
    }

    @Test
    void usesSnakeCaseKeysAndSortedConfig() throws Exception {
        JsonNode json = Json.MAPPER.readTree(Json.MAPPER.writeValueAsString(full()));
        assertEquals(1, json.get("format_version").intValue());
        assertEquals(300L << 20, json.get("steps").get(0).get("peak_rss_bytes").longValue());
        assertEquals(List.of("peak_rss_bytes", "peak_heap_bytes", "peak_arrow_bytes", "limit_bytes", "max_heap_bytes"),
                fieldNames(json.get("memory")));
        assertEquals(List.of("BEHAVIOR_SIMILARITY_TOP_K", "SIMILARITY_TOP_K"), fieldNames(json.get("config")));
        assertTrue(json.get("outputs").get(1).has("file"));
        assertTrue(json.get("outputs").get(1).path("rows").isNull() || json.get("outputs").get(1).path("rows").isMissingNode(),
                "no row count for a file without rows");
        assertEquals(90, json.get("outputs").get(0).get("rows").intValue());
    }

    @Test
    void unknownKeysOfLaterWritersAreIgnoredAndOutputLooksUpByName() throws Exception {
        Manifest manifest = Json.MAPPER.readValue("{\"stage\":\"features\",\"format_version\":1,\"new_key\":true,"
                + "\"outputs\":[{\"file\":\"items.arrow\",\"bytes\":10,\"rows\":2}]}", Manifest.class);
        assertEquals(new Manifest.OutputFile("items.arrow", 10, 2L), manifest.output("items.arrow"));
        assertNull(manifest.output("users.arrow"));
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
