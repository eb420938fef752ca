package dev.tablevault.engine.store;

import org.rocksdb.ColumnFamilyHandle;

import java.util.function.BiPredicate;

/** Point reads and prefix scans, on the latest state ({@link Store}) or a snapshot ({@link View}). */
public interface Reads {
    byte[] get(ColumnFamilyHandle cf, byte[] key);

    void scan(ColumnFamilyHandle cf, byte[] prefix, BiPredicate<byte[], byte[]> visitor);
}
