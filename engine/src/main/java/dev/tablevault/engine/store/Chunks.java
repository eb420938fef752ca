package dev.tablevault.engine.store;

import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import dev.tablevault.api.ColumnType;
import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.TvStorageException;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Encodes a chunk of one column's values: format tag, count, null bitmap, then the non-null values in a
 * type-specific compact form (Kryo's varint streams). Stateless and thread safe.
 */
public final class Chunks {
    /** Rows per cell chunk. */
    public static final int ROWS = 1024;
    private static final byte TAG = 1;

    private Chunks() {
    }

    public static byte[] encode(ColumnType type, List<Object> values, int from, int to) {
        int n = to - from;
        try (Output out = new Output(16 + n * 9, -1)) {
            out.writeByte(TAG);
            out.writeVarInt(n, true);
            byte[] nulls = new byte[(n + 7) / 8];
            for (int i = 0; i < n; i++) {
                if (values.get(from + i) == null) {
                    nulls[i >> 3] |= (byte) (1 << (i & 7));
                }
            }
            out.writeBytes(nulls);
            for (int i = 0; i < n; i++) {
                Object v = values.get(from + i);
                if (v != null) {
                    write(out, type, v);
                }
            }
            return out.toBytes();
        }
    }

    /** Decodes a chunk, appending its values to {@code into}. */
    public static void decode(ColumnType type, byte[] bytes, List<Object> into) {
        if (bytes.length == 0 || bytes[0] != TAG) {
            throw new TvStorageException(ErrorCode.CORRUPTION, "cell chunk has unknown format tag "
                    + (bytes.length == 0 ? "none" : String.valueOf(bytes[0])) + "; run 'tv verify'");
        }
        try (Input in = new Input(bytes, 1, bytes.length - 1)) {
            int n = in.readVarInt(true);
            byte[] nulls = in.readBytes((n + 7) / 8);
            for (int i = 0; i < n; i++) {
                boolean isNull = (nulls[i >> 3] & (1 << (i & 7))) != 0;
                into.add(isNull ? null : read(in, type));
            }
        } catch (RuntimeException e) {
            if (e instanceof TvStorageException t) {
                throw t;
            }
            throw new TvStorageException(ErrorCode.CORRUPTION, "cell chunk does not decode as " + type + ": "
                    + e.getMessage(), e);
        }
    }

    private static void write(Output out, ColumnType type, Object v) {
        switch (type) {
            case LONG -> out.writeVarLong((Long) v, false);
            case DOUBLE -> out.writeDouble((Double) v);
            case BOOLEAN -> out.writeBoolean((Boolean) v);
            case STRING, ARTIFACT -> out.writeString((String) v);
            case BYTES -> {
                byte[] b = (byte[]) v;
                out.writeVarInt(b.length, true);
                out.writeBytes(b);
            }
            case TIMESTAMP -> {
                Instant t = (Instant) v;
                out.writeVarLong(t.getEpochSecond(), false);
                out.writeVarInt(t.getNano(), true);
            }
            case DURATION -> {
                Duration d = (Duration) v;
                out.writeVarLong(d.getSeconds(), false);
                out.writeVarInt(d.getNano(), true);
            }
        }
    }

    private static Object read(Input in, ColumnType type) {
        return switch (type) {
            case LONG -> in.readVarLong(false);
            case DOUBLE -> in.readDouble();
            case BOOLEAN -> in.readBoolean();
            case STRING, ARTIFACT -> in.readString();
            case BYTES -> in.readBytes(in.readVarInt(true));
            case TIMESTAMP -> Instant.ofEpochSecond(in.readVarLong(false), in.readVarInt(true));
            case DURATION -> Duration.ofSeconds(in.readVarLong(false), in.readVarInt(true));
        };
    }
}
