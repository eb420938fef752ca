package dev.tablevault.engine.store.rocks;

import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * Merges concurrent synced commits into one RocksDB write: one committer at a time is the leader; it takes
 * every batch queued so far, writes them as one batch with one fsync, hands the leadership to the oldest
 * batch queued meanwhile and wakes its own group. Each batch stays atomic (it is contiguous inside the merged
 * one) and none returns before its fsync. RocksDB group-commits too, but on few cores its writer hand-off
 * costs more than this merge.
 *
 * <p>Thread safe. Committers are woken one at a time, never as a herd: the leader wakes the next leader and
 * the first of its group, and each woken member wakes the one after it, so the leader is free for its next
 * fsync sooner. A queued commit cannot be abandoned, because the leader may be reading its batch: waiting
 * ignores interrupts and restores the interrupt flag afterwards.
 *
 * <p>Batches are merged through their serialized form: a 12-byte header (sequence, count, little-endian)
 * followed by the records.
 */
final class GroupCommit {
    private static final int HEADER = 12;
    private static final int WAITING = 0;
    private static final int LEADING = 1;
    private static final int DONE = 2;

    private static final class Pending {
        final WriteBatch batch;
        final Thread thread = Thread.currentThread();
        RocksDBException error;
        /** The group member this one wakes once it is done. */
        Pending wakeNext;
        /** Set last by the thread that changes it, so the fields above are visible once it is DONE. */
        volatile int state = WAITING;

        Pending(WriteBatch batch) {
            this.batch = batch;
        }
    }

    private final RocksDB db;
    private final WriteOptions syncOptions;
    private final Object monitor = new Object();
    /** Batches no leader has taken yet, oldest first; guarded by {@link #monitor}. */
    private List<Pending> queue = new ArrayList<>();
    /** Whether some committer leads; guarded by {@link #monitor}. */
    private boolean leading;

    GroupCommit(RocksDB db, WriteOptions syncOptions) {
        this.db = db;
        this.syncOptions = syncOptions;
    }

    /** Writes {@code batch} durably, possibly together with others; returns once it is on disk. */
    void write(WriteBatch batch) throws RocksDBException {
        Pending me = new Pending(batch);
        synchronized (monitor) {
            queue.add(me);
            if (!leading) {
                leading = true;
                me.state = LEADING;
            }
        }
        awaitTurn(me);
        if (me.state == DONE) {
            if (me.wakeNext != null) {
                LockSupport.unpark(me.wakeNext.thread);
            }
            if (me.error != null) {
                throw me.error;
            }
            return;
        }
        lead(me);
    }

    private void lead(Pending me) throws RocksDBException {
        List<Pending> group;
        synchronized (monitor) {
            group = queue;
            queue = new ArrayList<>();
        }
        RocksDBException failure = null;
        try {
            writeGroup(group);
        } catch (RocksDBException e) {
            failure = e;
        } catch (RuntimeException | Error e) {
            // The leader rethrows e itself; the others must not take the unfinished write for a success.
            failure = new RocksDBException("the group write failed: " + e);
            throw e;
        } finally {
            Pending next;
            synchronized (monitor) {
                next = queue.isEmpty() ? null : queue.get(0);
                leading = next != null;
            }
            // The next leader first: its fsync is the critical path; the group only needs CPU to return.
            if (next != null) {
                next.state = LEADING;
                LockSupport.unpark(next.thread);
            }
            Pending first = null;
            for (int i = group.size() - 1; i >= 0; i--) {
                Pending p = group.get(i);
                if (p != me) {
                    p.error = failure;
                    p.wakeNext = first;
                    p.state = DONE;
                    first = p;
                }
            }
            if (first != null) {
                LockSupport.unpark(first.thread);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static void awaitTurn(Pending me) {
        boolean interrupted = false;
        while (me.state == WAITING) {
            LockSupport.park(me);
            interrupted |= Thread.interrupted();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void writeGroup(List<Pending> group) throws RocksDBException {
        if (group.size() == 1) {
            db.write(syncOptions, group.get(0).batch);
            return;
        }
        List<WriteBatch> batches = new ArrayList<>(group.size());
        group.forEach(p -> batches.add(p.batch));
        try (WriteBatch merged = merge(batches)) {
            db.write(syncOptions, merged);
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
