package dev.tablevault.engine.store;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Key layouts. String parts are UTF-8 joined by {@code \0} (names never contain it). Cell keys are
 * big-endian {@code instanceKey(8) | column(4) | chunk(8)} so one instance, and one column, is a contiguous
 * ordered range.
 */
public final class Keys {
    private static final byte SEP = 0;

    private Keys() {
    }

    /** Joins parts with the separator. */
    public static byte[] of(String... parts) {
        // The bytes of String.join("\0", parts) in UTF-8, without the joined string (every small write builds many).
        byte[][] bytes = new byte[parts.length][];
        int n = Math.max(0, parts.length - 1);
        for (int i = 0; i < parts.length; i++) {
            bytes[i] = parts[i].getBytes(StandardCharsets.UTF_8);
            n += bytes[i].length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                out[at++] = SEP;
            }
            System.arraycopy(bytes[i], 0, out, at, bytes[i].length);
            at += bytes[i].length;
        }
        return out;
    }

    /** {@link #of} plus a trailing separator: the prefix of every key below these parts. */
    public static byte[] prefix(String... parts) {
        byte[] k = of(parts);
        byte[] p = Arrays.copyOf(k, k.length + 1);
        p[k.length] = SEP;
        return p;
    }

    /** The string parts of a key written by {@link #of}. */
    public static String[] parts(byte[] key) {
        return new String(key, StandardCharsets.UTF_8).split("\0", -1);
    }

    public static byte[] vault() {
        return of("V");
    }

    public static byte[] table(String table) {
        return of("T", table);
    }

    public static byte[] instance(String table, String id) {
        return of("I", table, id);
    }

    public static byte[] builder(String table, String version, String name) {
        return of("B", table, version, name);
    }

    public static byte[] process(String pid) {
        return of("P", pid);
    }

    public static byte[] finished(String pid) {
        return of("H", pid);
    }

    /** History order index: {@code h\0<end time 8B><pid>}, scanned backwards for newest first. */
    public static byte[] historyOrder(long endMillis, String pid) {
        byte[] p = pid.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(2 + 8 + p.length).put((byte) 'h').put(SEP).putLong(endMillis).put(p).array();
    }

    /** The end time of a history order key. */
    public static long historyMillis(byte[] key) {
        return ByteBuffer.wrap(key, 2, 8).getLong();
    }

    /** The process id of a history order key. */
    public static String historyPid(byte[] key) {
        return new String(key, 10, key.length - 10, StandardCharsets.UTF_8);
    }

    /** The trim record's key in {@code proc}: what retention trimmed (see {@code Records.TrimRecord}). */
    public static byte[] trimmed() {
        return of("R");
    }

    public static byte[] logEntry(String pid, long seq) {
        return logEntry(prefix("L", pid), seq);
    }

    /** {@link #logEntry(String, long)} from the log's prefix, {@code prefix("L", pid)}, built once for many. */
    public static byte[] logEntry(byte[] logPrefix, long seq) {
        return ByteBuffer.allocate(logPrefix.length + 8).put(logPrefix).putLong(seq).array();
    }

    public static byte[] lock(String resource, String pid) {
        return of(resource, pid);
    }

    public static byte[] cell(long instanceKey, int column, long chunk) {
        return ByteBuffer.allocate(20).putLong(instanceKey).putInt(column).putLong(chunk).array();
    }

    public static byte[] cellColumnStart(long instanceKey, int column) {
        return ByteBuffer.allocate(12).putLong(instanceKey).putInt(column).array();
    }

    public static byte[] instanceStart(long instanceKey) {
        return ByteBuffer.allocate(8).putLong(instanceKey).array();
    }

    /** The chunk number of a cell key. */
    public static long cellChunk(byte[] key) {
        return ByteBuffer.wrap(key, 12, 8).getLong();
    }

    /** The instance key of a cell key. */
    public static long cellInstance(byte[] key) {
        return ByteBuffer.wrap(key).getLong();
    }

    /** The smallest key greater than every key starting with {@code prefix}, or null if there is none. */
    public static byte[] prefixEnd(byte[] prefix) {
        byte[] end = Arrays.copyOf(prefix, prefix.length);
        for (int i = end.length - 1; i >= 0; i--) {
            if (end[i] != (byte) 0xff) {
                end[i]++;
                return Arrays.copyOf(end, i + 1);
            }
        }
        return null;
    }
}
