package dev.tablevault.engine.store.rocks;

import dev.tablevault.engine.store.KeyRange;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;

/**
 * A {@link KeyRange} over one column family of a snapshot: an iterator whose read options carry the exclusive upper
 * bound, so RocksDB stops at {@code to} instead of walking the tombstones past it. Owns the iterator, its options
 * and the bound, and closes them in that order.
 */
final class RocksRange implements KeyRange {
    private final RocksBackend store;
    private final Slice upper;
    private final ReadOptions bounded;
    private final RocksIterator it;

    RocksRange(RocksBackend store, ColumnFamilyHandle family, ReadOptions snapshot, byte[] from, byte[] to) {
        this.store = store;
        this.upper = to == null ? null : new Slice(to);
        this.bounded = new ReadOptions(snapshot);
        if (upper != null) {
            bounded.setIterateUpperBound(upper);
        }
        this.it = store.db().newIterator(family, bounded);
        it.seek(from);
    }

    /** An iterator that meets a read error just becomes invalid: its status tells that from the end. */
    @Override
    public boolean valid() {
        if (it.isValid()) {
            return true;
        }
        store.checkStatus(it);
        return false;
    }

    @Override
    public byte[] key() {
        return it.key();
    }

    @Override
    public byte[] value() {
        return it.value();
    }

    @Override
    public void next() {
        it.next();
    }

    @Override
    public void close() {
        it.close();
        bounded.close();
        if (upper != null) {
            upper.close();
        }
    }
}
