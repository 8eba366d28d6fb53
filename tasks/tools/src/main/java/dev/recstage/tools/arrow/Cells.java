package dev.recstage.tools.arrow;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.BaseIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DateMilliVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.ValueVector;
import org.apache.arrow.vector.complex.BaseRepeatedValueVector;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.complex.LargeListVector;
import org.apache.arrow.vector.complex.StructVector;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.dictionary.DictionaryProvider;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.DictionaryEncoding;
import org.apache.arrow.vector.util.Text;

/**
 * One cell of any Arrow column as a plain Java value that Jackson writes as is: dictionary codes
 * become their dictionary's values, timestamps and dates ISO-8601 text, binary Base64, lists
 * {@link List}s and structs {@link Map}s; numbers and booleans stay what they are; null is null.
 */
public final class Cells {
    private Cells() {
    }

    public static Object value(ValueVector vector, int row, DictionaryProvider dictionaries) {
        DictionaryEncoding encoding = vector.getField().getDictionary();
        if (vector.isNull(row)) {
            return null;
        }
        if (encoding != null) {
            Dictionary dictionary = dictionaries.lookup(encoding.getId());
            if (dictionary == null) {
                throw new IllegalStateException("column '" + vector.getName() + "' refers to dictionary " + encoding.getId()
                        + ", which the file does not have");
            }
            long code = ((BaseIntVector) vector).getValueAsLong(row);
            return value(dictionary.getVector(), Math.toIntExact(code), dictionaries);
        }
        if (vector instanceof TimeStampVector timestamps) {
            return timestamp(timestamps, row);
        }
        if (vector instanceof DateDayVector days) {
            return LocalDate.ofEpochDay(days.get(row)).toString();
        }
        if (vector instanceof DateMilliVector millis) {
            return LocalDate.ofEpochDay(Math.floorDiv(millis.get(row), 86_400_000L)).toString();
        }
        if (vector instanceof BitVector bits) {
            return bits.get(row) != 0;
        }
        if (vector instanceof BaseIntVector ints) {
            return ints.getValueAsLong(row);
        }
        if (vector instanceof FixedSizeListVector lists) {
            int size = lists.getListSize();
            return elements(lists.getDataVector(), row * size, (row + 1) * size, dictionaries);
        }
        if (vector instanceof BaseRepeatedValueVector lists) {
            // ListVector (and MapVector, a list of key/value structs): offsets delimit each row's elements.
            int start = lists.getOffsetBuffer().getInt((long) row * BaseRepeatedValueVector.OFFSET_WIDTH);
            int end = lists.getOffsetBuffer().getInt((long) (row + 1) * BaseRepeatedValueVector.OFFSET_WIDTH);
            return elements(lists.getDataVector(), start, end, dictionaries);
        }
        if (vector instanceof LargeListVector lists) {
            long start = lists.getOffsetBuffer().getLong((long) row * LargeListVector.OFFSET_WIDTH);
            long end = lists.getOffsetBuffer().getLong((long) (row + 1) * LargeListVector.OFFSET_WIDTH);
            return elements(lists.getDataVector(), Math.toIntExact(start), Math.toIntExact(end), dictionaries);
        }
        if (vector instanceof StructVector struct) {
            Map<String, Object> fields = new LinkedHashMap<>();
            for (FieldVector child : struct.getChildrenFromFields()) {
                fields.put(child.getName(), value(child, row, dictionaries));
            }
            return fields;
        }
        Object plain = vector.getObject(row);
        if (plain instanceof Text text) {
            return text.toString();
        }
        if (plain instanceof byte[] bytes) {
            return Base64.getEncoder().encodeToString(bytes);
        }
        if (plain instanceof Number || plain instanceof Boolean || plain instanceof String) {
            return plain;
        }
        return String.valueOf(plain);
    }

    private static List<Object> elements(ValueVector data, int start, int end, DictionaryProvider dictionaries) {
        List<Object> values = new ArrayList<>(end - start);
        for (int i = start; i < end; i++) {
            values.add(value(data, i, dictionaries));
        }
        return values;
    }

    /** With a time zone: the instant ({@code ...Z} for UTC, else with its offset); without: the local date-time. */
    private static String timestamp(TimeStampVector vector, int row) {
        ArrowType.Timestamp type = (ArrowType.Timestamp) vector.getField().getType();
        Instant instant = instant(vector.get(row), type.getUnit());
        String zone = type.getTimezone();
        if (zone == null || zone.isEmpty()) {
            return LocalDateTime.ofInstant(instant, ZoneOffset.UTC).toString();
        }
        ZoneId id = ZoneId.of(zone);
        if (id.normalized().equals(ZoneOffset.UTC)) {
            return instant.toString();
        }
        return OffsetDateTime.ofInstant(instant, id).toString();
    }

    private static Instant instant(long value, TimeUnit unit) {
        return switch (unit) {
            case SECOND -> Instant.ofEpochSecond(value);
            case MILLISECOND -> Instant.ofEpochMilli(value);
            case MICROSECOND -> Instant.ofEpochSecond(Math.floorDiv(value, 1_000_000L), Math.floorMod(value, 1_000_000L) * 1000L);
            case NANOSECOND -> Instant.ofEpochSecond(Math.floorDiv(value, 1_000_000_000L), Math.floorMod(value, 1_000_000_000L));
        };
    }

    /** Text of a value for a one-value place (a CSV cell): composite values as their JSON. */
    static String text(Object value, ObjectMapper json) {
        if (value == null) {
            return null;
        }
        if (value instanceof List || value instanceof Map) {
            try {
                return json.writeValueAsString(value);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
        return value.toString();
    }
}
