package dev.tablevault.tools;

import dev.tablevault.api.Column;
import dev.tablevault.api.ColumnType;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.util.Text;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Values of a SQL result as tv prints them: the Java types of the vault's columns where the Arrow type is one
 * (Long, Double, Boolean, String, byte[], Instant, Duration), else what Arrow gives (BigDecimal, LocalDate,
 * lists, maps...), printed by {@link Csv#format} and {@link Json#tree}. Stateless.
 */
final class SqlValues {
    private SqlValues() {
    }

    static List<Object> row(VectorSchemaRoot root, int i) {
        List<Object> row = new ArrayList<>(root.getFieldVectors().size());
        for (FieldVector v : root.getFieldVectors()) {
            row.add(value(v, i));
        }
        return row;
    }

    static Object value(FieldVector v, int i) {
        if (v.isNull(i)) {
            return null;
        }
        if (v instanceof TimeStampVector ts && ((ArrowType.Timestamp) v.getField().getType()).getTimezone() != null) {
            long x = ts.get(i);
            return switch (((ArrowType.Timestamp) v.getField().getType()).getUnit()) {
                case SECOND -> Instant.ofEpochSecond(x);
                case MILLISECOND -> Instant.ofEpochMilli(x);
                case MICROSECOND -> Instant.ofEpochSecond(Math.floorDiv(x, 1_000_000L),
                        Math.floorMod(x, 1_000_000L) * 1_000L);
                case NANOSECOND -> Instant.ofEpochSecond(Math.floorDiv(x, 1_000_000_000L),
                        Math.floorMod(x, 1_000_000_000L));
            };
        }
        Object o = v.getObject(i);
        return o instanceof Text t ? t.toString() : o;
    }

    /** A text table cell: NULL for null, as DuckDB prints it. */
    static String text(Object v) {
        return v == null ? "NULL" : Csv.format(v);
    }

    /** The vault's column type holding values of {@code f}'s Arrow type, or null. */
    static ColumnType columnType(Field f) {
        return switch (f.getType().getTypeID()) {
            case Int -> ColumnType.LONG;
            case FloatingPoint -> ColumnType.DOUBLE;
            case Bool -> ColumnType.BOOLEAN;
            case Utf8, LargeUtf8, Utf8View -> ColumnType.STRING;
            case Binary, LargeBinary, BinaryView -> ColumnType.BYTES;
            case Timestamp -> ((ArrowType.Timestamp) f.getType()).getTimezone() != null ? ColumnType.TIMESTAMP : null;
            case Duration -> ColumnType.DURATION;
            default -> null;
        };
    }

    /** {@code f}'s type as tv names column types, else Arrow's name of it in lower case. */
    static String typeName(Field f) {
        ColumnType t = columnType(f);
        return t != null ? Csv.typeName(t) : f.getType().toString().toLowerCase(Locale.ROOT);
    }

    /** The CSV header: NAME:TYPE where tv has the type (so 'tv write --csv' reads it back), else NAME. */
    static String csvHeader(List<Field> fields) {
        List<String> cells = new ArrayList<>();
        for (Field f : fields) {
            ColumnType t = columnType(f);
            cells.add(t != null ? Csv.headerCell(new Column(f.getName(), t)) : f.getName());
        }
        return Csv.line(cells);
    }
}
