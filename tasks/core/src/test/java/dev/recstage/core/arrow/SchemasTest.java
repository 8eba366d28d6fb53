package dev.recstage.core.arrow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.Test;

class SchemasTest {
    @Test
    void narrowestIntAtTheBoundaries() {
        assertEquals(Schemas.INT8, Schemas.narrowestInt(0));
        assertEquals(Schemas.INT8, Schemas.narrowestInt(127));
        assertEquals(Schemas.INT16, Schemas.narrowestInt(128));
        assertEquals(Schemas.INT16, Schemas.narrowestInt(32_767));
        assertEquals(Schemas.INT32, Schemas.narrowestInt(32_768));
        assertEquals(Schemas.INT32, Schemas.narrowestInt(Integer.MAX_VALUE));
        assertEquals(Schemas.INT64, Schemas.narrowestInt(Integer.MAX_VALUE + 1L));
    }

    @Test
    void everyTableCarriesItsNameAndTheVersion() {
        for (Schema schema : List.of(Schemas.items((ArrowType.Int) Schemas.INT8), Schemas.users(), Schemas.interactions(),
                Schemas.itemFeatures(List.of(Schemas.required("views", Schemas.INT16))), Schemas.embeddings(4), Schemas.neighbors())) {
            assertNotNull(schema.getCustomMetadata().get(Schemas.TABLE_KEY));
            assertEquals(Integer.toString(Schemas.VERSION), schema.getCustomMetadata().get(Schemas.VERSION_KEY));
        }
        assertEquals(Schemas.NEIGHBORS, Schemas.neighbors().getCustomMetadata().get(Schemas.TABLE_KEY));
    }

    @Test
    void neighborsFollowTheDesign() {
        Schema schema = Schemas.neighbors();
        assertEquals(List.of("item_id", "neighbor_id", "score", "rank"), schema.getFields().stream().map(Field::getName).toList());
        assertEquals(Schemas.ITEM_ID_DICTIONARY, schema.findField("item_id").getDictionary().getId());
        assertEquals(Schemas.NEIGHBOR_ID_DICTIONARY, schema.findField("neighbor_id").getDictionary().getId());
        assertEquals(Schemas.FLOAT32, schema.findField("score").getType());
        assertEquals(Schemas.INT16, schema.findField("rank").getType());
    }

    @Test
    void interactionsAndItemsFollowTheDesign() {
        Schema interactions = Schemas.interactions();
        assertEquals(List.of("user", "item", "event", "weight", "ts"), interactions.getFields().stream().map(Field::getName).toList());
        assertEquals(Schemas.INT8, interactions.findField("event").getType());
        assertEquals(Schemas.EVENT_DICTIONARY, interactions.findField("event").getDictionary().getId());
        assertEquals(Schemas.TIMESTAMP_S, interactions.findField("ts").getType());
        Schema items = Schemas.items((ArrowType.Int) Schemas.INT16);
        assertEquals(Schemas.INT16, items.findField("category").getType());
        assertEquals(Schemas.CATEGORY_DICTIONARY, items.findField("category").getDictionary().getId());
        assertNull(items.findField("title").getDictionary());
        assertEquals(new ArrowType.FixedSizeList(4), Schemas.embeddings(4).findField("embedding").getType());
    }
}
