package dev.tablevault.engine.store;

import dev.tablevault.api.ColumnType;
import dev.tablevault.api.ColumnVector;

/**
 * About the bytes values take in an encoded chunk ({@link Chunks}), counted before encoding: what cuts a checkpoint
 * by bytes. At least the encoded size for every type but OBJECT, whose size is guessed. Stateless.
 */
public final class ChunkSizes {
    /** Bytes a chunk adds beyond its values: tag, count, null bitmap, and its key in a batch. */
    public static final int CHUNK_OVERHEAD = 8 + Chunks.ROWS / 8 + 32;
    /** An OBJECT value's size is known only once Kryo wrote it: this is a guess, not a bound. */
    private static final int OBJECT_GUESS = 64;

    private ChunkSizes() {
    }

    /**
     * At least the bytes {@code v} takes in a chunk of {@code type} (a guess for OBJECT): what a checkpoint cut by
     * bytes counts before encoding.
     */
    public static long sizeBound(ColumnType type, Object v) {
        if (v == null) {
            return 0;
        }
        return switch (type) {
            case LONG -> 10;
            case DOUBLE -> 8;
            case BOOLEAN -> 1;
            case STRING, ARTIFACT -> 5 + charsBytes((String) v);
            case BYTES -> 5 + ((byte[]) v).length;
            case TIMESTAMP, DURATION -> 15;
            case OBJECT -> OBJECT_GUESS;
        };
    }

    /** The bytes of {@code s}'s chars as {@link dev.tablevault.engine.codec.Codec#writeChars} writes them: a varint each. */
    private static long charsBytes(String s) {
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            n += c < 0x80 ? 1 : c < 0x4000 ? 2 : 3;
        }
        return n;
    }

    /** {@link #sizeBound(ColumnType, Object)} summed over rows {@code [from, to)} of {@code values}. */
    public static long sizeBound(ColumnVector values, int from, int to) {
        return switch (values.type()) {
            case LONG -> 10L * (to - from);
            case DOUBLE -> 8L * (to - from);
            case BOOLEAN -> to - from;
            // WTF-8 bytes as they are, or (not ASCII) a varint per char: at most 1.5 bytes per WTF-8 byte
            case STRING, ARTIFACT -> {
                long n = values.valueOffset(to) - values.valueOffset(from);
                yield 5L * (to - from) + n + n / 2;
            }
            case BYTES -> 5L * (to - from) + values.valueOffset(to) - values.valueOffset(from);
            case TIMESTAMP, DURATION -> 15L * (to - from);
            case OBJECT -> (long) OBJECT_GUESS * (to - from);
        };
    }
}
