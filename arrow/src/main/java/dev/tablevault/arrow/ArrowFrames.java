package dev.tablevault.arrow;

import dev.tablevault.api.Column;
import dev.tablevault.api.ColumnType;
import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.Frame;
import dev.tablevault.api.TvArgumentException;
import org.apache.arrow.vector.BaseIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DateMilliVector;
import org.apache.arrow.vector.DurationVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.FixedSizeBinaryVector;
import org.apache.arrow.vector.FloatingPointVector;
import org.apache.arrow.vector.LargeVarBinaryVector;
import org.apache.arrow.vector.LargeVarCharVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.UInt8Vector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.ViewVarBinaryVector;
import org.apache.arrow.vector.ViewVarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Arrow record batches into boxed column values (what a {@link Frame} holds), by {@link Types#columnType}. Text
 * must be valid UTF-8 and unsigned 64-bit integers must fit a LONG; otherwise the load fails {@code BAD_ARGUMENT}
 * naming the source, column and row. Stateless but for {@link Values}, which is one thread's.
 */
final class ArrowFrames {
    private ArrowFrames() {
    }

    /** The columns a schema loads as, in order; {@code declared}: types named outside the fields, by column. */
    static List<Column> columns(Schema s, Map<String, ColumnType> declared, String source) {
        List<Column> out = new ArrayList<>();
        for (Field f : s.getFields()) {
            out.add(new Column(f.getName(), Types.columnType(f, declared.get(f.getName()), source)));
        }
        return out;
    }

    /** Every batch of {@code r} as one frame (held in memory). */
    static Frame read(ArrowReader r, String source) throws IOException {
        VectorSchemaRoot root = r.getVectorSchemaRoot();
        Values values = new Values(root.getSchema(), Map.of(), source);
        List<List<Object>> cols = new ArrayList<>();
        values.columns().forEach(c -> cols.add(new ArrayList<>()));
        while (r.loadNextBatch()) {
            values.append(root, cols);
        }
        return Frame.ofColumns(values.columns(), cols);
    }

    /** Appends batches of one schema to value lists, counting rows for error messages. One thread. */
    static final class Values {
        private final List<Column> columns;
        private final String source;
        private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        private long rows;

        Values(Schema schema, Map<String, ColumnType> declared, String source) {
            this.columns = ArrowFrames.columns(schema, declared, source);
            this.source = source;
        }

        List<Column> columns() {
            return columns;
        }

        /** Appends the rows of {@code root} (of this schema) to {@code into}, one list per column. */
        void append(VectorSchemaRoot root, List<List<Object>> into) {
            int n = root.getRowCount();
            for (int c = 0; c < columns.size(); c++) {
                FieldVector v = root.getVector(c);
                List<Object> out = into.get(c);
                for (int i = 0; i < n; i++) {
                    out.add(v.isNull(i) ? null : value(v, c, i));
                }
            }
            rows += n;
        }

        private Object value(FieldVector v, int c, int i) {
            ArrowType t = v.getField().getType();
            return switch (t.getTypeID()) {
                case Int -> {
                    if (columns.get(c).type() == ColumnType.DURATION) {
                        yield java.time.Duration.ofNanos(((BaseIntVector) v).getValueAsLong(i));
                    }
                    if (v instanceof UInt8Vector u && u.get(i) < 0) {
                        throw bad(c, i, "the unsigned value " + UInt8Vector.getNoOverflow(u.getDataBuffer(), i)
                                + " is larger than a LONG holds");
                    }
                    yield ((BaseIntVector) v).getValueAsLong(i);
                }
                case FloatingPoint -> ((FloatingPointVector) v).getValueAsDouble(i);
                case Bool -> ((BitVector) v).get(i) == 1;
                case Utf8 -> text(((VarCharVector) v).get(i), c, i);
                case LargeUtf8 -> text(((LargeVarCharVector) v).get(i), c, i);
                case Utf8View -> text(((ViewVarCharVector) v).get(i), c, i);
                case Binary -> ((VarBinaryVector) v).get(i);
                case LargeBinary -> ((LargeVarBinaryVector) v).get(i);
                case BinaryView -> ((ViewVarBinaryVector) v).get(i);
                case FixedSizeBinary -> ((FixedSizeBinaryVector) v).get(i);
                case Timestamp -> {
                    long per = Types.nanosPer(((ArrowType.Timestamp) t).getUnit());
                    long x = ((TimeStampVector) v).get(i);
                    yield Instant.ofEpochSecond(0, 0).plusSeconds(Math.floorDiv(x, 1_000_000_000L / per))
                            .plusNanos(Math.floorMod(x, 1_000_000_000L / per) * per);
                }
                case Date -> v instanceof DateDayVector d ? Instant.ofEpochSecond(d.get(i) * 86_400L)
                        : Instant.ofEpochMilli(((DateMilliVector) v).get(i));
                case Duration -> ((DurationVector) v).getObject(i);
                default -> throw new IllegalStateException("type " + t + " passed Types.columnType");
            };
        }

        private String text(byte[] b, int c, int i) {
            try {
                return utf8.decode(ByteBuffer.wrap(b)).toString();
            } catch (CharacterCodingException e) {
                throw bad(c, i, "the text is not valid UTF-8");
            }
        }

        private TvArgumentException bad(int c, int i, String what) {
            return new TvArgumentException(ErrorCode.BAD_ARGUMENT, source + ": column '" + columns.get(c).name()
                    + "' row " + (rows + i) + ": " + what);
        }
    }
}
