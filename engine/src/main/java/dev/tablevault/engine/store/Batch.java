package dev.tablevault.engine.store;

import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.TvStorageException;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

/**
 * Changes to commit atomically with {@link Store#write(Batch)}: puts and deletes in the store's column
 * families, collected in memory. Building it throws no checked exception, so RocksDB's stay in this package;
 * a failure to add a change is a {@link TvStorageException} with {@link ErrorCode#IO}. Used by one thread;
 * closed by it (it owns a native handle).
 */
public final class Batch implements AutoCloseable {
    private final WriteBatch changes = new WriteBatch();

    /** Sets {@code key} to {@code value} in {@code family}. */
    public void put(ColumnFamilyHandle family, byte[] key, byte[] value) {
        try {
            changes.put(family, key, value);
        } catch (RocksDBException e) {
            throw failure(e);
        }
    }

    /** Removes {@code key} from {@code family}. */
    public void delete(ColumnFamilyHandle family, byte[] key) {
        try {
            changes.delete(family, key);
        } catch (RocksDBException e) {
            throw failure(e);
        }
    }

    /** Removes the keys from {@code from} (inclusive) to {@code to} (exclusive) from {@code family}. */
    public void deleteRange(ColumnFamilyHandle family, byte[] from, byte[] to) {
        try {
            changes.deleteRange(family, from, to);
        } catch (RocksDBException e) {
            throw failure(e);
        }
    }

    /** The RocksDB batch, for {@link Store#write(Batch)}. */
    WriteBatch changes() {
        return changes;
    }

    private static TvStorageException failure(RocksDBException e) {
        return new TvStorageException(ErrorCode.IO, "RocksDB: " + e.getMessage(), e);
    }

    @Override
    public void close() {
        changes.close();
    }
}
