package dev.recstage.tools.arrow;

import java.util.stream.Collectors;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;

/** Arrow types in the short notation of pyarrow and the design ({@code int32}, {@code timestamp[s, tz=UTC]}, {@code fixed_size_list<float32>[64]}). */
final class TypeNames {
    private TypeNames() {
    }

    /** The field's value type; for a dictionary-encoded field, that of its codes. */
    static String of(Field field) {
        ArrowType type = field.getType();
        return switch (type.getTypeID()) {
            case Int -> {
                ArrowType.Int i = (ArrowType.Int) type;
                yield (i.getIsSigned() ? "int" : "uint") + i.getBitWidth();
            }
            case FloatingPoint -> switch (((ArrowType.FloatingPoint) type).getPrecision()) {
                case HALF -> "float16";
                case SINGLE -> "float32";
                case DOUBLE -> "float64";
            };
            case Utf8 -> "utf8";
            case LargeUtf8 -> "large_utf8";
            case Binary -> "binary";
            case LargeBinary -> "large_binary";
            case Bool -> "bool";
            case Null -> "null";
            case Timestamp -> {
                ArrowType.Timestamp t = (ArrowType.Timestamp) type;
                String unit = switch (t.getUnit()) {
                    case SECOND -> "s";
                    case MILLISECOND -> "ms";
                    case MICROSECOND -> "us";
                    case NANOSECOND -> "ns";
                };
                yield "timestamp[" + unit + (t.getTimezone() == null ? "" : ", tz=" + t.getTimezone()) + "]";
            }
            case Date -> ((ArrowType.Date) type).getUnit() == DateUnit.DAY ? "date32" : "date64";
            case Decimal -> {
                ArrowType.Decimal d = (ArrowType.Decimal) type;
                yield "decimal(" + d.getPrecision() + ", " + d.getScale() + ")";
            }
            case FixedSizeList -> "fixed_size_list<" + of(field.getChildren().get(0)) + ">[" + ((ArrowType.FixedSizeList) type).getListSize() + "]";
            case List -> "list<" + of(field.getChildren().get(0)) + ">";
            case LargeList -> "large_list<" + of(field.getChildren().get(0)) + ">";
            case Struct -> "struct<" + field.getChildren().stream().map(c -> c.getName() + ": " + of(c)).collect(Collectors.joining(", ")) + ">";
            case Map -> "map<" + field.getChildren().get(0).getChildren().stream().map(TypeNames::of).collect(Collectors.joining(", ")) + ">";
            default -> type.toString();
        };
    }
}
