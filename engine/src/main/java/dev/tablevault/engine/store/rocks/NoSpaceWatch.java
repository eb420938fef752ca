package dev.tablevault.engine.store.rocks;

import org.rocksdb.AbstractEventListener;
import org.rocksdb.Status;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Follows RocksDB's write stop after a full disk: from a commit that failed for want of space until RocksDB
 * reports it resumed ({@code onErrorRecoveryCompleted}, on its SstFileManager's thread). RocksJava's
 * {@code onBackgroundError} is not used: it throws for the reasons its enum lacks (a MANIFEST write).
 */
final class NoSpaceWatch extends AbstractEventListener {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition resumed = lock.newCondition();
    /** Read on every commit without the lock; both written under it. */
    private volatile boolean stopped;
    /** Counts resumptions, so that a failure seen before one cannot mark the store stopped after it. */
    private volatile long resumptions;

    NoSpaceWatch() {
        super(EnabledEventCallback.ON_ERROR_RECOVERY_COMPLETED);
    }

    @Override
    public void onErrorRecoveryCompleted(Status oldError) {
        lock.lock();
        try {
            resumptions++;
            stopped = false;
            resumed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    long resumptions() {
        return resumptions;
    }

    /** Marks writes stopped by a failure seen when {@link #resumptions} was {@code seen}. */
    void stopped(long seen) {
        lock.lock();
        try {
            if (resumptions == seen) {
                stopped = true;
            }
        } finally {
            lock.unlock();
        }
    }

    boolean stopped() {
        return stopped;
    }

    /** Waits until RocksDB resumed writing or {@code millis} passed. */
    void awaitResumed(long millis) throws InterruptedException {
        long left = TimeUnit.MILLISECONDS.toNanos(millis);
        lock.lock();
        try {
            while (stopped && left > 0) {
                left = resumed.awaitNanos(left);
            }
        } finally {
            lock.unlock();
        }
    }
}
