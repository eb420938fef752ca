package dev.tablevault.engine.store;

import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Merges concurrent synced commits into one RocksDB write: the first committer to find no write in flight
 * becomes the leader, takes every batch queued so far, writes them as one batch with one fsync, and wakes
 * the rest. Each batch stays atomic (it is contiguous inside the merged one) and none returns before its
 * fsync. RocksDB group-commits too, but on few cores its writer hand-off costs more than this merge.
 *
 * <p>Thread safe. Batches are merged through their serialized form: a 12-byte header (sequence, count,
 * little-endian) followed by the records.
 */
final class GroupCommit {
    private static final int HEADER = 12;

    private static final class Pending {
        final WriteBatch batch;
        boolean done;
        RocksDBException error;

        Pending(WriteBatch batch) {
            this.batch = batch;
        }
    }

    private final RocksDB db;
    private final WriteOptions syncOptions;
    private final Object monitor = new Object();
    private List<Pending> queue = new ArrayList<>();
    private boolean writing;

    GroupCommit(RocksDB db, WriteOptions syncOptions) {
        this.db = db;
        this.syncOptions = syncOptions;
    }

    /** Writes {@code batch} durably, possibly together with others; returns once it is on disk. */
    void write(WriteBatch batch) throws RocksDBException, InterruptedException {
        Pending me = new Pending(batch);
        List<Pending> group;
        synchronized (monitor) {
            queue.add(me);
            while (!me.done && writing) {
                monitor.wait();
            }
            if (me.done) {
                if (me.error != null) {
                    throw me.error;
                }
                return;
            }
            writing = true;
            group = queue;
            queue = new ArrayList<>();
        }
        RocksDBException failure = null;
        try {
            if (group.size() == 1) {
                db.write(syncOptions, batch);
            } else {
                List<WriteBatch> batches = new ArrayList<>(group.size());
                group.forEach(p -> batches.add(p.batch));
                try (WriteBatch merged = merge(batches)) {
                    db.write(syncOptions, merged);
                }
            }
        } catch (RocksDBException e) {
            failure = e;
        } finally {
            synchronized (monitor) {
                for (Pending p : group) {
                    p.error = failure;
                    p.done = true;
                }
                writing = false;
                monitor.notifyAll();
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** One batch holding {@code batches}' records in order; the caller closes it. */
    static WriteBatch merge(List<WriteBatch> batches) throws RocksDBException {
        List<byte[]> parts = new ArrayList<>(batches.size());
        int size = HEADER;
        int count = 0;
        for (WriteBatch batch : batches) {
            byte[] d = batch.data();
            parts.add(d);
            size += d.length - HEADER;
            count += ByteBuffer.wrap(d, 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        }
        ByteBuffer out = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(0).putInt(count);
        for (byte[] d : parts) {
            out.put(d, HEADER, d.length - HEADER);
        }
        return new WriteBatch(out.array());
    }
}
