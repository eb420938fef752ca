package dev.tablevault.engine.store.rocks;

import dev.tablevault.engine.store.Family;
import dev.tablevault.engine.store.KeyRange;
import dev.tablevault.engine.store.Keys;
import dev.tablevault.engine.store.ReadView;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Snapshot;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiPredicate;

/**
 * A point-in-time view over all column families: a RocksDB snapshot. Not thread safe; close it to release the
 * snapshot.
 */
public final class RocksView implements ReadView {
    private final RocksBackend store;
    private final Snapshot snapshot;
    private final ReadOptions ro;
    /** False for a {@link #borrow() borrowed} view, whose close leaves the snapshot to its lender. */
    private final boolean owner;

    RocksView(RocksBackend store) {
        this.store = store;
        this.snapshot = store.db().getSnapshot();
        this.ro = new ReadOptions().setSnapshot(snapshot);
        this.owner = true;
    }

    private RocksView(RocksView lender) {
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
    @Override
    public RocksView borrow() {
        return new RocksView(this);
    }

    @Override
    public List<byte[]> getAll(Family family, List<byte[]> keys) {
        return store.getAll(family, keys, ro);
    }

    @Override
    public byte[] get(Family family, byte[] key) {
        try {
            return store.db().get(store.handle(family), ro, key);
        } catch (RocksDBException e) {
            throw StoreErrors.toTv(e, "a read in " + store.dir());
        }
    }

    @Override
    public void scan(Family family, byte[] prefix, BiPredicate<byte[], byte[]> visitor) {
        store.scan(store.handle(family), prefix, ro, visitor);
    }

    @Override
    public void scanFrom(Family family, byte[] prefix, byte[] from, BiPredicate<byte[], byte[]> visitor) {
        store.scanFrom(store.handle(family), prefix, from, ro, visitor);
    }

    /** Visits keys with {@code prefix} in this snapshot, largest first, until {@code visitor} returns false. */
    @Override
    public void scanBackwards(Family family, byte[] prefix, BiPredicate<byte[], byte[]> visitor) {
        store.scanBackwards(store.handle(family), prefix, ro, visitor);
    }

    /** A bounded iterator over this snapshot ({@link RocksRange}). */
    @Override
    public KeyRange range(Family family, byte[] from, byte[] to) {
        return new RocksRange(store, store.handle(family), ro, from, to);
    }

    /** The instance keys that have cells in {@code data}, ascending; one seek per key. */
    @Override
    public List<Long> cellInstanceKeys() {
        List<Long> out = new ArrayList<>();
        try (RocksIterator it = store.db().newIterator(store.handle(Family.DATA), ro)) {
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
