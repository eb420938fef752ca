package dev.tablevault.arrow;

import dev.tablevault.api.Column;
import dev.tablevault.api.ColumnType;
import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.TvArgumentException;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;

import java.util.Map;

/**
 * The type mapping, both ways. Out: LONG Int64, DOUBLE Float64, BOOLEAN Bool, STRING and ARTIFACT Utf8, BYTES
 * Binary, TIMESTAMP Timestamp(ns, "UTC"), DURATION Duration(ns), each field with {@value #TYPE_KEY} metadata;
 * OBJECT has no Arrow form. In: the metadata's type when the Arrow type carries it, else the nearest type (see
 * {@link #columnType}). Stateless.
 */
final class Types {
    /** The field metadata key naming a column's {@link ColumnType}. */
    static final String TYPE_KEY = "tablevault.type";

    private Types() {
    }

    /**
     * The Arrow field of {@code c}.
     *
     * @throws TvArgumentException {@code BAD_ARGUMENT} for an OBJECT column
     */
    static Field field(Column c) {
        return field(c, false);
    }

    /**
     * The Arrow field of {@code c}; {@code durationNanos}: a DURATION as Int64 nanoseconds, the form it takes to
     * Parquet (whose INTERVAL holds milliseconds; DuckDB's holds microseconds).
     */
    static Field field(Column c, boolean durationNanos) {
        ArrowType t = switch (c.type()) {
            case LONG -> new ArrowType.Int(64, true);
            case DOUBLE -> new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);
            case BOOLEAN -> ArrowType.Bool.INSTANCE;
            case STRING, ARTIFACT -> ArrowType.Utf8.INSTANCE;
            case BYTES -> ArrowType.Binary.INSTANCE;
            case TIMESTAMP -> new ArrowType.Timestamp(TimeUnit.NANOSECOND, "UTC");
            case DURATION -> durationNanos ? new ArrowType.Int(64, true) : new ArrowType.Duration(TimeUnit.NANOSECOND);
            case OBJECT -> throw new TvArgumentException(ErrorCode.BAD_ARGUMENT, "column '" + c.name()
                    + "' is an OBJECT column (Java objects stored with Kryo), which has no Arrow or Parquet form;"
                    + " leave it out with --columns (or the columns argument) and list the others");
        };
        return new Field(c.name(), new FieldType(true, t, null, Map.of(TYPE_KEY, c.type().name())), null);
    }

    /**
     * The column type a field is read as. Integers of any width (unsigned up to 64 bits, checked per value)
     * read as LONG, floating point as DOUBLE, Bool as BOOLEAN, Utf8 and LargeUtf8 as STRING (ARTIFACT when the
     * metadata says so), Binary, LargeBinary and FixedSizeBinary as BYTES, Timestamp of any unit and zone as
     * TIMESTAMP (no zone: taken as UTC), Date as TIMESTAMP at midnight UTC, Duration of any unit as DURATION.
     * The type {@code declared} names (or else the field's {@value #TYPE_KEY} metadata) wins where it fits: ARTIFACT
     * for text, DURATION (nanoseconds) for a 64-bit integer, which is how Parquet files we write keep them.
     *
     * @throws TvArgumentException {@code BAD_ARGUMENT} naming {@code source}, the column and its type for any
     *     other type (decimals, lists, structs, maps, times of day, intervals, dictionaries, null)
     */
    static ColumnType columnType(Field f, ColumnType declaredType, String source) {
        ArrowType t = f.getType();
        if (f.getDictionary() != null) {
            throw unsupported(f, source, "dictionary-encoded " + t);
        }
        String declared = declaredType != null ? declaredType.name()
                : f.getMetadata() == null ? null : f.getMetadata().get(TYPE_KEY);
        ColumnType base = switch (t.getTypeID()) {
            case Int -> ColumnType.LONG;
            case FloatingPoint -> ColumnType.DOUBLE;
            case Bool -> ColumnType.BOOLEAN;
            case Utf8, LargeUtf8, Utf8View -> ColumnType.STRING;
            case Binary, LargeBinary, BinaryView, FixedSizeBinary -> ColumnType.BYTES;
            case Timestamp, Date -> ColumnType.TIMESTAMP;
            case Duration -> ColumnType.DURATION;
            default -> throw unsupported(f, source, t.toString());
        };
        if (base == ColumnType.STRING && ColumnType.ARTIFACT.name().equals(declared)) {
            return ColumnType.ARTIFACT;
        }
        if (t instanceof ArrowType.Int i && i.getBitWidth() == 64 && i.getIsSigned()
                && ColumnType.DURATION.name().equals(declared)) {
            return ColumnType.DURATION;
        }
        return base;
    }

    private static TvArgumentException unsupported(Field f, String source, String type) {
        return new TvArgumentException(ErrorCode.BAD_ARGUMENT, source + ": column '" + f.getName() + "' has Arrow type "
                + type + ", which no column type holds (supported: integers, floating point, bool, utf8, binary,"
                + " timestamp, date, duration); cast or drop it before loading");
    }

    /** Nanoseconds per unit of {@code u}. */
    static long nanosPer(TimeUnit u) {
        return switch (u) {
            case SECOND -> 1_000_000_000L;
            case MILLISECOND -> 1_000_000L;
            case MICROSECOND -> 1_000L;
            case NANOSECOND -> 1L;
        };
    }

    /** Milliseconds per unit of a Date. */
    static long millisPer(DateUnit u) {
        return u == DateUnit.DAY ? 86_400_000L : 1L;
    }
}
