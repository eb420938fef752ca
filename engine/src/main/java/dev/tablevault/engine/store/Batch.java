package dev.tablevault.engine.store;

import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.TvStorageException;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

import java.util.Arrays;

/**
 * Changes to commit atomically with {@link Store#write(Batch)}: puts and deletes in the store's column
 * families, collected in memory. Building it throws no checked exception, so RocksDB's stay in this package;
 * a failure to add a change is a {@link TvStorageException} with {@link ErrorCode#IO}. Used by one thread;
 * closed by it (it owns a native handle).
 */
public final class Batch implements AutoCloseable {
    /** One change as added: a put ({@code value} set), a delete, or a range delete ({@code rangeEnd} set). */
    interface ChangeVisitor {
        void visit(ColumnFamilyHandle family, byte[] key, byte[] value, byte[] rangeEnd);
    }

    private final WriteBatch changes = new WriteBatch();
    /**
     * The changes again, as references (nothing copied), for the owner's {@link CatalogMirror}: families, keys,
     * values (null: a delete) and range ends (non-null: a range delete), {@link #count} of each.
     */
    private ColumnFamilyHandle[] families = new ColumnFamilyHandle[8];
    private byte[][] keys = new byte[8][];
    private byte[][] values = new byte[8][];
    private byte[][] rangeEnds = new byte[8][];
    private int count;
    /** Run by {@link Store#write(Batch)} once this batch is written. */
    private final java.util.List<Runnable> onWritten = new java.util.ArrayList<>(1);

    /** Sets {@code key} to {@code value} in {@code family}. */
    public void put(ColumnFamilyHandle family, byte[] key, byte[] value) {
        try {
            changes.put(family, key, value);
            record(family, key, value, null);
        } catch (RocksDBException e) {
            throw failure(e);
        }
    }

    /** Removes {@code key} from {@code family}. */
    public void delete(ColumnFamilyHandle family, byte[] key) {
        try {
            changes.delete(family, key);
            record(family, key, null, null);
        } catch (RocksDBException e) {
            throw failure(e);
        }
    }

    /** Removes the keys from {@code from} (inclusive) to {@code to} (exclusive) from {@code family}. */
    public void deleteRange(ColumnFamilyHandle family, byte[] from, byte[] to) {
        try {
            changes.deleteRange(family, from, to);
            record(family, from, null, to);
        } catch (RocksDBException e) {
            throw failure(e);
        }
    }

    private void record(ColumnFamilyHandle family, byte[] key, byte[] value, byte[] rangeEnd) {
        if (count == families.length) {
            int n = count * 2;
            families = Arrays.copyOf(families, n);
            keys = Arrays.copyOf(keys, n);
            values = Arrays.copyOf(values, n);
            rangeEnds = Arrays.copyOf(rangeEnds, n);
        }
        families[count] = family;
        keys[count] = key;
        values[count] = value;
        rangeEnds[count] = rangeEnd;
        count++;
    }

    /** Runs {@code action} on the writing thread once this batch is written (not if the write fails). */
    public void onWritten(Runnable action) {
        onWritten.add(action);
    }

    void written() {
        onWritten.forEach(Runnable::run);
    }

    /** Visits the changes in the order they were added. */
    void forEachChange(ChangeVisitor visitor) {
        for (int i = 0; i < count; i++) {
            visitor.visit(families[i], keys[i], values[i], rangeEnds[i]);
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
