package dev.recstage.core.arrow;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.DictionaryEncoding;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * The Arrow contracts between stages (DESIGN.md, "Stage contracts"), in one place. Every file
 * carries its table name and {@link #VERSION} in the schema metadata; readers check both.
 */
public final class Schemas {
    public static final String TABLE_KEY = "recstage.table";
    public static final String VERSION_KEY = "recstage.schema_version";
    /** Bump when any table below changes incompatibly. */
    public static final int VERSION = 1;

    public static final String ITEMS = "items";
    public static final String USERS = "users";
    public static final String INTERACTIONS = "interactions";
    public static final String ITEM_FEATURES = "item_features";
    public static final String EMBEDDINGS = "embeddings";
    public static final String NEIGHBORS = "neighbors";
    public static final String TFIDF_MODEL = "tfidf_model";
    public static final String RELATED_ITEMS = "related_items";
    public static final String USER_RECOMMENDATIONS = "user_recommendations";

    /** Dictionary ids: each dictionary-encoded column of a file has its own. */
    public static final long CATEGORY_DICTIONARY = 1;
    public static final long EVENT_DICTIONARY = 2;
    public static final long ITEM_ID_DICTIONARY = 3;
    public static final long NEIGHBOR_ID_DICTIONARY = 4;
    public static final long USER_ID_DICTIONARY = 5;
    public static final long BECAUSE_DICTIONARY = 6;
    public static final long SOURCE_DICTIONARY = 7;
    public static final long REASON_DICTIONARY = 8;

    public static final ArrowType INT8 = new ArrowType.Int(8, true);
    public static final ArrowType INT16 = new ArrowType.Int(16, true);
    public static final ArrowType INT32 = new ArrowType.Int(32, true);
    public static final ArrowType INT64 = new ArrowType.Int(64, true);
    public static final ArrowType FLOAT32 = new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE);
    public static final ArrowType UTF8 = ArrowType.Utf8.INSTANCE;
    public static final ArrowType TIMESTAMP_S = new ArrowType.Timestamp(TimeUnit.SECOND, "UTC");

    private Schemas() {
    }

    public static Field required(String name, ArrowType type) {
        return new Field(name, FieldType.notNullable(type), null);
    }

    public static Field nullable(String name, ArrowType type) {
        return new Field(name, FieldType.nullable(type), null);
    }

    /**
     * A column stored as {@code indexType} codes into the dictionary {@code id} of strings. In
     * memory (Arrow Java's convention) the field has the index type; files carry the strings' type.
     */
    public static Field dictionaryEncoded(String name, long id, ArrowType.Int indexType, boolean nullable) {
        DictionaryEncoding encoding = new DictionaryEncoding(id, false, indexType);
        return new Field(name, new FieldType(nullable, indexType, encoding), null);
    }

    /** The narrowest signed integer type holding every value in [0, max]. */
    public static ArrowType.Int narrowestInt(long max) {
        if (max <= Byte.MAX_VALUE) {
            return (ArrowType.Int) INT8;
        }
        if (max <= Short.MAX_VALUE) {
            return (ArrowType.Int) INT16;
        }
        if (max <= Integer.MAX_VALUE) {
            return (ArrowType.Int) INT32;
        }
        return (ArrowType.Int) INT64;
    }

    public static Schema table(String table, List<Field> fields) {
        return new Schema(fields, Map.of(TABLE_KEY, table, VERSION_KEY, Integer.toString(VERSION)));
    }

    /** items.arrow: dense item index, id, text fields, category dictionary-encoded, creation time. */
    public static Schema items(ArrowType.Int categoryIndexType) {
        return table(ITEMS, List.of(
                required("item", INT32),
                required("item_id", UTF8),
                nullable("title", UTF8),
                nullable("description", UTF8),
                nullable("tags", UTF8),
                dictionaryEncoded("category", CATEGORY_DICTIONARY, categoryIndexType, true),
                nullable("create_time", TIMESTAMP_S)));
    }

    /** users.arrow: dense user index and id. */
    public static Schema users() {
        return table(USERS, List.of(required("user", INT32), required("user_id", UTF8)));
    }

    /** interactions.arrow: sorted by user then time; event is a dictionary code. */
    public static Schema interactions() {
        return table(INTERACTIONS, List.of(
                required("user", INT32),
                required("item", INT32),
                dictionaryEncoded("event", EVENT_DICTIONARY, (ArrowType.Int) INT8, false),
                required("weight", FLOAT32),
                required("ts", TIMESTAMP_S)));
    }

    /** item_features.arrow: {@code item} then count columns whose types are narrowed to their maxima. */
    public static Schema itemFeatures(List<Field> columns) {
        List<Field> fields = new ArrayList<>();
        fields.add(required("item", INT32));
        fields.addAll(columns);
        return table(ITEM_FEATURES, fields);
    }

    /** embeddings.arrow: one vector per item, aligned to the item index. */
    public static Schema embeddings(int dimension) {
        Field element = new Field("element", FieldType.notNullable(FLOAT32), null);
        Field embedding = new Field("embedding", FieldType.notNullable(new ArrowType.FixedSizeList(dimension)), List.of(element));
        return table(EMBEDDINGS, List.of(required("item", INT32), embedding));
    }

    /**
     * content_neighbors / vector_neighbors / behavior_neighbors: one row per (item, neighbour),
     * ids dictionary-encoded against the item ids (two dictionaries of the same strings, which
     * every Arrow reader decodes), ordered by item then rank.
     */
    public static Schema neighbors() {
        return table(NEIGHBORS, List.of(
                dictionaryEncoded("item_id", ITEM_ID_DICTIONARY, (ArrowType.Int) INT32, false),
                dictionaryEncoded("neighbor_id", NEIGHBOR_ID_DICTIONARY, (ArrowType.Int) INT32, false),
                required("score", FLOAT32),
                required("rank", INT16)));
    }

    /**
     * related_items.arrow (recommend): per item its top N of the blended neighbours, ordered by item
     * then rank; {@code source} (behavior, content, both) says which lists the neighbour came from.
     */
    public static Schema relatedItems() {
        return table(RELATED_ITEMS, List.of(
                dictionaryEncoded("item_id", ITEM_ID_DICTIONARY, (ArrowType.Int) INT32, false),
                dictionaryEncoded("neighbor_id", NEIGHBOR_ID_DICTIONARY, (ArrowType.Int) INT32, false),
                required("score", FLOAT32),
                required("rank", INT16),
                dictionaryEncoded("source", SOURCE_DICTIONARY, (ArrowType.Int) INT8, false)));
    }

    /**
     * user_recommendations.arrow (recommend): per user the top N items, ordered by user then rank;
     * {@code because} is the history item that contributed most (null for {@code reason} popular:
     * a user without usable history gets the recent-popularity list).
     */
    public static Schema userRecommendations() {
        return table(USER_RECOMMENDATIONS, List.of(
                dictionaryEncoded("user_id", USER_ID_DICTIONARY, (ArrowType.Int) INT32, false),
                dictionaryEncoded("item_id", ITEM_ID_DICTIONARY, (ArrowType.Int) INT32, false),
                required("score", FLOAT32),
                required("rank", INT16),
                dictionaryEncoded("because", BECAUSE_DICTIONARY, (ArrowType.Int) INT32, true),
                dictionaryEncoded("reason", REASON_DICTIONARY, (ArrowType.Int) INT8, false)));
    }

    /**
     * tfidf_model.arrow (content-similarity): the vocabulary of a fitted TF-IDF model, one row per
     * column of the matrix in column order: {@code term}, its document frequency {@code df} in the
     * fitted corpus and its {@code idf}. {@code parameters} (n_docs, fit and weighting settings)
     * go into the schema metadata beside the table name and version.
     */
    public static Schema tfidfModel(Map<String, String> parameters) {
        Map<String, String> metadata = new HashMap<>(parameters);
        metadata.put(TABLE_KEY, TFIDF_MODEL);
        metadata.put(VERSION_KEY, Integer.toString(VERSION));
        return new Schema(List.of(required("term", UTF8), required("df", INT32), required("idf", FLOAT32)), metadata);
    }
}
