package dev.recstage.features.input;

/** Why a row was rejected: a stable reason code (counted in the manifest) and a detail for people. */
public record Reject(String reason, String detail) {
    public static final String WRONG_COLUMN_COUNT = "wrong_column_count";
    public static final String INVALID_JSON = "invalid_json";
    public static final String NOT_AN_OBJECT = "not_an_object";
    public static final String WRONG_TYPE = "wrong_type";
    public static final String TEXT_TOO_LONG = "text_too_long";
    public static final String EMPTY_ID = "empty_id";
    public static final String BAD_TIMESTAMP = "bad_timestamp";
    public static final String BAD_WEIGHT = "bad_weight";
    public static final String UNKNOWN_ITEM = "unknown_item";
    public static final String DUPLICATE_ITEM = "duplicate_item_conflict";
    public static final String BAD_VECTOR = "bad_vector";
}
