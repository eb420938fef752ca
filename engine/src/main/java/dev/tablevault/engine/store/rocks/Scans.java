package dev.tablevault.engine.store.rocks;

import dev.tablevault.engine.store.Keys;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.BiPredicate;

/**
 * Ordered key scans over one open database, forwards and backwards within a prefix, each closing its iterator
 * and checking its status so a read error is never taken for the end of the data.
 */
final class Scans {
    private final RocksDB db;
    private final Path dir;

    Scans(RocksDB db, Path dir) {
        this.db = db;
        this.dir = dir;
    }

    /** Visits keys with {@code prefix}, as {@code ro} sees them, in order until {@code visitor} returns false. */
    void scan(ColumnFamilyHandle cf, byte[] prefix, ReadOptions ro, BiPredicate<byte[], byte[]> visitor) {
        scan(cf, prefix, prefix, ro, visitor);
    }

    /** {@link #scan} starting at {@code from}, a key with {@code prefix}. */
    void scan(ColumnFamilyHandle cf, byte[] prefix, byte[] from, ReadOptions ro,
              BiPredicate<byte[], byte[]> visitor) {
        // The upper bound keeps a seek from walking over the tombstones of deleted keys past the prefix.
        byte[] end = Keys.prefixEnd(prefix);
        try (ReadOptions bounded = new ReadOptions(ro); Slice upper = end == null ? null : new Slice(end)) {
            if (upper != null) {
                bounded.setIterateUpperBound(upper);
            }
            scanBounded(cf, prefix, from, bounded, visitor);
        }
    }

    private void scanBounded(ColumnFamilyHandle cf, byte[] prefix, byte[] from, ReadOptions ro,
                             BiPredicate<byte[], byte[]> visitor) {
        try (RocksIterator it = db.newIterator(cf, ro)) {
            for (it.seek(from); it.isValid(); it.next()) {
                byte[] k = it.key();
                if (!startsWith(k, prefix) || !visitor.test(k, it.value())) {
                    break;
                }
            }
            checkStatus(it);
        }
    }

    /** Visits keys with {@code prefix} newest (largest) first until {@code visitor} returns false. */
    void scanBackwards(ColumnFamilyHandle cf, byte[] prefix, BiPredicate<byte[], byte[]> visitor) {
        try (ReadOptions ro = new ReadOptions()) {
            scanBackwards(cf, prefix, ro, visitor);
        }
    }

    /** {@link #scanBackwards(ColumnFamilyHandle, byte[], BiPredicate)} as {@code base} sees the keys. */
    void scanBackwards(ColumnFamilyHandle cf, byte[] prefix, ReadOptions base, BiPredicate<byte[], byte[]> visitor) {
        byte[] end = Keys.prefixEnd(prefix);
        try (ReadOptions ro = new ReadOptions(base); Slice lower = new Slice(prefix)) {
            ro.setIterateLowerBound(lower);
            scanBackwardsBounded(cf, prefix, end, ro, visitor);
        }
    }

    private void scanBackwardsBounded(ColumnFamilyHandle cf, byte[] prefix, byte[] end, ReadOptions ro,
                                      BiPredicate<byte[], byte[]> visitor) {
        try (RocksIterator it = db.newIterator(cf, ro)) {
            if (end == null) {
                it.seekToLast();
            } else {
                it.seekForPrev(end);
            }
            for (; it.isValid(); it.prev()) {
                byte[] k = it.key();
                if (Arrays.equals(k, end)) {
                    continue;
                }
                if (!startsWith(k, prefix) || !visitor.test(k, it.value())) {
                    break;
                }
            }
            checkStatus(it);
        }
    }

    /** The largest key in {@code cf}, or null when it is empty. */
    byte[] lastKey(ColumnFamilyHandle cf) {
        try (RocksIterator it = db.newIterator(cf)) {
            it.seekToLast();
            if (it.isValid()) {
                return it.key();
            }
            checkStatus(it);
            return null;
        }
    }

    private static boolean startsWith(byte[] key, byte[] prefix) {
        return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }

    /**
     * Throws unless {@code it} stopped because it ran out of keys: an iterator that meets a read error or a
     * checksum mismatch just becomes invalid, which looks like the end of the data unless its status is asked.
     */
    void checkStatus(RocksIterator it) {
        try {
            it.status();
        } catch (RocksDBException e) {
            throw StoreErrors.toTv(e, "a scan in " + dir);
        }
    }
}
