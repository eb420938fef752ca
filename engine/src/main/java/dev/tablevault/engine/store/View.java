package dev.tablevault.engine.store;

import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;
import org.rocksdb.Snapshot;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiPredicate;

/**
 * A point-in-time view over all column families. Not thread safe; close it to release the snapshot.
 */
public final class View implements AutoCloseable, Reads {
    private final Store store;
    private final Snapshot snapshot;
    private final ReadOptions ro;
    /** False for a {@link #borrow() borrowed} view, whose close leaves the snapshot to its lender. */
    private final boolean owner;

    View(Store store) {
        this.store = store;
        this.snapshot = store.db().getSnapshot();
        this.ro = new ReadOptions().setSnapshot(snapshot);
        this.owner = true;
    }

    private View(View lender) {
        this.store = lender.store;
        this.snapshot = lender.snapshot;
        this.ro = new ReadOptions(lender.ro);
        this.owner = false;
    }

    /**
     * A view of this snapshot with read options of its own, so several cursors over one snapshot can each close
     * theirs (and run on different threads: RocksDB reads of a snapshot are thread safe). Its close releases
     * only its options; close it before this view.
     */
    public View borrow() {
        return new View(this);
    }

    @Override
    public byte[] get(ColumnFamilyHandle cf, byte[] key) {
        try {
            return store.db().get(cf, ro, key);
        } catch (RocksDBException e) {
            throw StoreErrors.toTv(e, "a read in " + store.dir());
        }
    }

    @Override
    public void scan(ColumnFamilyHandle cf, byte[] prefix, BiPredicate<byte[], byte[]> visitor) {
        store.scan(cf, prefix, ro, visitor);
    }

    /** Visits keys with {@code prefix} in this snapshot, largest first, until {@code visitor} returns false. */
    public void scanBackwards(ColumnFamilyHandle cf, byte[] prefix, BiPredicate<byte[], byte[]> visitor) {
        store.scanBackwards(cf, prefix, ro, visitor);
    }

    /**
     * An iterator with read options from {@link #bounded}; close it before those and the view. Whenever it
     * is not {@link RocksIterator#isValid() valid}, call {@link #checkStatus} before taking that as the end.
     */
    public RocksIterator iterator(ColumnFamilyHandle cf, ReadOptions bound) {
        return store.db().newIterator(cf, bound);
    }

    /** Throws {@code CORRUPTION} or {@code IO} if {@code it} stopped on an error rather than at the end. */
    public void checkStatus(RocksIterator it) {
        store.checkStatus(it);
    }

    /** Read options of this snapshot with an exclusive upper bound; close it, then the slice. */
    public ReadOptions bounded(Slice upperBound) {
        return new ReadOptions(ro).setIterateUpperBound(upperBound);
    }

    public Store store() {
        return store;
    }

    /** The instance keys that have cells in {@code data}, ascending; one seek per key. */
    public List<Long> cellInstanceKeys() {
        List<Long> out = new ArrayList<>();
        try (RocksIterator it = store.db().newIterator(store.data, ro)) {
            for (it.seekToFirst(); it.isValid(); ) {
                long k = Keys.cellInstance(it.key());
                out.add(k);
                if (k == Long.MAX_VALUE) {
                    break;
                }
                it.seek(Keys.instanceStart(k + 1));
            }
            store.checkStatus(it);
        }
        return out;
    }

    @Override
    public void close() {
        ro.close();
        if (owner) {
            store.db().releaseSnapshot(snapshot);
        }
    }
}
