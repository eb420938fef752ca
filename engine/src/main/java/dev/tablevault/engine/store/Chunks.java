package dev.tablevault.engine.store;

import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import dev.tablevault.api.ColumnType;
import dev.tablevault.api.ColumnVector;
import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.TvArgumentException;
import dev.tablevault.api.TvStorageException;
import dev.tablevault.engine.codec.Codec;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
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
     * Encodes rows {@code [from, to)} of {@code values}, whose row {@code from} is row {@code firstRow} of column
     * {@code column} (null if unknown), without boxing: the same bytes as the list form.
     *
     * @throws TvArgumentException ({@code BAD_ARGUMENT}) as the list form
     */
    public static byte[] encode(ColumnVector values, int from, int to, String column, long firstRow) {
        return encode(values, from, to, to - from, column, firstRow);
    }

    /**
     * {@link #encode(ColumnVector, int, int, String, long)} as a chunk of {@code count} values ({@code count >= to -
     * from}) whose values past row {@code to} are null: the bytes of the list form with nulls there.
     */
    public static byte[] encode(ColumnVector values, int from, int to, int count, String column, long firstRow) {
        ColumnType type = values.type();
        int n = to - from;
        if (count < n) {
            throw new IllegalArgumentException("a chunk of " + count + " values cannot hold rows " + from + " to " + to);
        }
        try (Output out = new Output(16 + n * 9, -1)) {
            out.writeByte(TAG);
            out.writeVarInt(count, true);
            byte[] nulls = new byte[(count + 7) / 8];
            if (values.nullCount() > 0) {
                for (int i = 0; i < n; i++) {
                    if (values.isNull(from + i)) {
                        nulls[i >> 3] |= (byte) (1 << (i & 7));
                    }
                }
            }
            for (int i = n; i < count; i++) {
                nulls[i >> 3] |= (byte) (1 << (i & 7));
            }
            out.writeBytes(nulls);
            ByteBuffer data = type == ColumnType.STRING || type == ColumnType.ARTIFACT ? values.valueBytes() : null;
            for (int i = 0; i < n; i++) {
                int r = from + i;
                if (values.isNull(r)) {
                    continue;
                }
                switch (type) {
                    case LONG -> out.writeVarLong(values.getLong(r), false);
                    case DOUBLE -> out.writeDouble(values.getDouble(r));
                    case BOOLEAN -> out.writeBoolean(values.getBoolean(r));
                    case STRING, ARTIFACT -> writeString(out, values, r, data);
                    case BYTES -> {
                        int len = values.valueOffset(r + 1) - values.valueOffset(r);
                        out.writeVarInt(len, true);
                        out.writeBytes(values.getBytes(r));
                    }
                    case TIMESTAMP, DURATION -> {
                        out.writeVarLong(values.getSeconds(r), false);
                        out.writeVarInt(values.getNanos(r), true);
                    }
                    case OBJECT -> {
                        Object v = values.getObject(r);
                        long row = firstRow + i;
                        writeBytes(out, ObjectCodec.encode(v, why -> refused(column, row, v, why)));
                    }
                }
            }
            return out.toBytes();
        }
    }

    /** A string in {@link Codec#writeChars} form: an ASCII one (the usual) straight from its bytes. */
    private static void writeString(Output out, ColumnVector values, int r, ByteBuffer data) {
        int from = values.valueOffset(r);
        int to = values.valueOffset(r + 1);
        for (int i = from; i < to; i++) {
            if (data.get(i) < 0) {
                Codec.writeChars(out, values.getString(r));
                return;
            }
        }
        out.writeVarInt(to - from, true);
        for (int i = from; i < to; i++) {
            out.writeByte(data.get(i));
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

    /**
     * Decodes the chunk in {@code bytes[off, off + len)} straight into {@code into} (no boxing but for OBJECT),
     * appending at most {@code max} of its values (the rest are not read); returns how many it holds.
     */
    public static int decode(ColumnType type, byte[] bytes, int off, int len, ColumnVector.Builder into, int max) {
        checkTag(bytes, off, len);
        try (Input in = new Input(bytes, off + 1, len - 1)) {
            int n = in.readVarInt(true);
            if (n < 0 || (n + 7) / 8 > in.limit() - in.position()) {
                throw new IllegalStateException("row count " + n + " exceeds the chunk");
            }
            int nullsAt = in.position();
            in.setPosition(nullsAt + (n + 7) / 8);
            int m = Math.min(n, max);
            char[] chars = null;
            for (int i = 0; i < m; i++) {
                if ((bytes[nullsAt + (i >> 3)] & (1 << (i & 7))) != 0) {
                    into.appendNull();
                    continue;
                }
                switch (type) {
                    case LONG -> into.appendLong(in.readVarLong(false));
                    case DOUBLE -> into.appendDouble(in.readDouble());
                    case BOOLEAN -> into.appendBoolean(in.readBoolean());
                    case STRING, ARTIFACT -> chars = readString(in, into, chars);
                    case BYTES -> {
                        int k = in.readVarInt(true);
                        if (k < 0 || k > in.limit() - in.position()) {
                            throw new IllegalStateException("value length " + k + " exceeds the chunk");
                        }
                        into.appendBytes(bytes, in.position(), k);
                        in.setPosition(in.position() + k);
                    }
                    case TIMESTAMP, DURATION -> readTime(in, type, into);
                    case OBJECT -> into.append(object(in));
                }
            }
            return n;
        } catch (RuntimeException e) {
            if (e instanceof TvStorageException t) {
                throw t;
            }
            throw new TvStorageException(ErrorCode.CORRUPTION, "cell chunk does not decode as " + type + ": "
                    + e.getMessage(), e);
        }
    }

    /** What {@link Codec#readChars} reads; an ASCII string (one byte per char) straight from the chunk's bytes. */
    private static String readString(Input in) {
        int at = in.position();
        int n = in.readVarInt(true);
        int from = in.position();
        if (n < 0 || n > in.limit() - from) {
            in.setPosition(at);
            return Codec.readChars(in);
        }
        byte[] b = in.getBuffer();
        for (int i = from; i < from + n; i++) {
            if (b[i] < 0) {
                in.setPosition(at);
                return Codec.readChars(in);
            }
        }
        in.setPosition(from + n);
        return new String(b, from, n, StandardCharsets.ISO_8859_1);
    }

    /** A TIMESTAMP or DURATION; nanoseconds out of range (never written) normalize as the boxed decoder does. */
    private static void readTime(Input in, ColumnType type, ColumnVector.Builder into) {
        long sec = in.readVarLong(false);
        int nano = in.readVarInt(true);
        boolean plain = nano >= 0 && nano <= 999_999_999;
        if (type == ColumnType.TIMESTAMP) {
            if (plain) {
                into.appendTimestamp(sec, nano);
            } else {
                into.appendTimestamp(Instant.ofEpochSecond(sec, nano));
            }
        } else if (plain) {
            into.appendDuration(sec, nano);
        } else {
            into.appendDuration(Duration.ofSeconds(sec, nano));
        }
    }

    /**
     * Appends the string {@link Codec#writeChars} wrote: straight from the chunk when every char is ASCII (one
     * byte each); returns the scratch array for chars, grown as needed.
     */
    private static char[] readString(Input in, ColumnVector.Builder into, char[] scratch) {
        int n = in.readVarInt(true);
        int at = in.position();
        if (n < 0 || n > in.limit() - at) {
            throw new IllegalStateException("string length " + n + " exceeds the " + (in.limit() - at)
                    + " bytes left");
        }
        if (into.appendAscii(in.getBuffer(), at, n)) {
            in.setPosition(at + n);
            return scratch;
        }
        char[] c = scratch == null || scratch.length < n ? new char[Math.max(n, 64)] : scratch;
        for (int i = 0; i < n; i++) {
            c[i] = (char) in.readVarInt(true);
        }
        into.appendChars(c, 0, n);
        return c;
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
            case STRING, ARTIFACT -> readString(in);
            case BYTES -> bytes(in);
            case TIMESTAMP -> Instant.ofEpochSecond(in.readVarLong(false), in.readVarInt(true));
            case DURATION -> Duration.ofSeconds(in.readVarLong(false), in.readVarInt(true));
            case OBJECT -> object(in);
        };
    }
}
