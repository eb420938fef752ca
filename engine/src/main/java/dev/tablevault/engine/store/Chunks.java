package dev.tablevault.engine.store;

import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import dev.tablevault.api.ColumnType;
import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.TvArgumentException;
import dev.tablevault.api.TvStorageException;
import dev.tablevault.engine.codec.Codec;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * Encodes a chunk of one column's values: format tag, count, null bitmap, then the non-null values in a
 * type-specific compact form (Kryo's varint streams). An {@link ColumnType#OBJECT} value is its own Kryo
 * stream ({@link ObjectCodec}) behind its length and followed by its CRC-32C, so garbage is corruption before
 * Kryo reads a class name from it. Stateless and thread safe.
 */
public final class Chunks {
    /** Rows per cell chunk. */
    public static final int ROWS = 1024;
    private static final byte TAG = 1;

    private Chunks() {
    }

    /** Encodes values {@code [from, to)}; errors about an OBJECT value name its row as its list index. */
    public static byte[] encode(ColumnType type, List<Object> values, int from, int to) {
        return encode(type, values, from, to, null, from);
    }

    /**
     * Encodes values {@code [from, to)} of column {@code column} (null if unknown), whose value {@code from} is
     * row {@code firstRow}.
     *
     * @throws TvArgumentException ({@code BAD_ARGUMENT}) for an OBJECT value that does not write and read
     *     back, naming the column, row and class
     */
    public static byte[] encode(ColumnType type, List<Object> values, int from, int to, String column,
                                long firstRow) {
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
                if (v != null && type == ColumnType.OBJECT) {
                    long row = firstRow + i;
                    writeBytes(out, ObjectCodec.encode(v, why -> refused(column, row, v, why)));
                } else if (v != null) {
                    write(out, type, v);
                }
            }
            return out.toBytes();
        }
    }

    /**
     * Why {@code value} cannot be stored in an OBJECT column, or empty when it can: Kryo writes it and reads
     * it back.
     */
    public static Optional<String> objectProblem(Object value) {
        try {
            ObjectCodec.encode(value, Refused::new);
            return Optional.empty();
        } catch (Refused e) {
            return Optional.of(e.getMessage());
        }
    }

    private static TvArgumentException refused(String column, long row, Object v, String why) {
        return new TvArgumentException(ErrorCode.BAD_ARGUMENT, (column == null ? "an OBJECT column" : "column '"
                + column + "'") + " row " + row + ": a " + v.getClass().getName() + " cannot be stored as an OBJECT"
                + " value: " + why + "; store records, collections or classes whose fields Kryo can write and read"
                + " back (see ColumnType.OBJECT), or convert the value to STRING or BYTES");
    }

    /** The reason {@link #objectProblem} reports. */
    private static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Refused(String why) {
            super(why, null, false, false);
        }
    }

    /** An OBJECT value's encoding: length, bytes, CRC-32C of the bytes. */
    private static void writeBytes(Output out, byte[] b) {
        out.writeVarInt(b.length, true);
        out.writeBytes(b);
        out.writeInt(crc(b));
    }

    private static int crc(byte[] b) {
        CRC32C c = new CRC32C();
        c.update(b);
        return (int) c.getValue();
    }

    private static Object object(Input in) {
        byte[] b = bytes(in);
        if (in.readInt() != crc(b)) {
            throw new IllegalStateException("OBJECT value checksum mismatch");
        }
        return ObjectCodec.decode(b);
    }

    /** Decodes a chunk, appending its values to {@code into}. */
    public static void decode(ColumnType type, byte[] bytes, List<Object> into) {
        decode(type, bytes, 0, bytes.length, into);
    }

    /** Decodes the chunk in {@code bytes[off, off + len)}, appending its values to {@code into}. */
    public static void decode(ColumnType type, byte[] bytes, int off, int len, List<Object> into) {
        checkTag(bytes, off, len);
        try (Input in = new Input(bytes, off + 1, len - 1)) {
            int n = in.readVarInt(true);
            if (n < 0 || (n + 7) / 8 > in.limit() - in.position()) {
                throw new IllegalStateException("row count " + n + " exceeds the chunk");
            }
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

    /** The number of values the chunk in {@code bytes} holds, read from its header without decoding them. */
    public static int count(byte[] bytes) {
        checkTag(bytes, 0, bytes.length);
        try (Input in = new Input(bytes, 1, bytes.length - 1)) {
            return in.readVarInt(true);
        } catch (RuntimeException e) {
            throw new TvStorageException(ErrorCode.CORRUPTION, "cell chunk header does not decode: " + e.getMessage(),
                    e);
        }
    }

    private static void checkTag(byte[] bytes, int off, int len) {
        if (len == 0) {
            throw new TvStorageException(ErrorCode.CORRUPTION, "empty cell chunk; run 'tv verify'");
        }
        if (bytes[off] != TAG) {
            throw new TvStorageException(ErrorCode.UNSUPPORTED_FORMAT, "cell chunk has format tag " + bytes[off]
                    + "; this engine reads tag " + TAG + ": open the vault with a newer TableVault");
        }
    }

    private static void write(Output out, ColumnType type, Object v) {
        switch (type) {
            case LONG -> out.writeVarLong((Long) v, false);
            case DOUBLE -> out.writeDouble((Double) v);
            case BOOLEAN -> out.writeBoolean((Boolean) v);
            case STRING, ARTIFACT -> Codec.writeChars(out, (String) v);
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
            case OBJECT -> throw new IllegalStateException("OBJECT values are written by encode");
        }
    }

    /** A length-prefixed byte string whose length is checked against the chunk, so garbage cannot force a
     * huge allocation. */
    private static byte[] bytes(Input in) {
        int n = in.readVarInt(true);
        if (n < 0 || n > in.limit() - in.position()) {
            throw new IllegalStateException("value length " + n + " exceeds the chunk");
        }
        return in.readBytes(n);
    }

    private static Object read(Input in, ColumnType type) {
        return switch (type) {
            case LONG -> in.readVarLong(false);
            case DOUBLE -> in.readDouble();
            case BOOLEAN -> in.readBoolean();
            case STRING, ARTIFACT -> Codec.readChars(in);
            case BYTES -> bytes(in);
            case TIMESTAMP -> Instant.ofEpochSecond(in.readVarLong(false), in.readVarInt(true));
            case DURATION -> Duration.ofSeconds(in.readVarLong(false), in.readVarInt(true));
            case OBJECT -> object(in);
        };
    }
}
