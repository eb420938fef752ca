package dev.tablevault.engine;

import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.TvStorageException;

import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * The open/closed state of one vault object. Every call runs under a read lock so {@link #close} waits for calls
 * in flight before it frees native handles; a call after close fails with {@code VAULT_CLOSED}.
 */
final class Gate {
    private final String dir;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private volatile boolean closed;

    /** @param dir where the vault is, for messages: its directory or URL (without password) */
    Gate(String dir) {
        this.dir = dir;
    }

    /** Runs {@code body} while the vault is open; throws {@code VAULT_CLOSED} if it is closed. */
    <T> T guarded(Supplier<T> body) {
        lock.readLock().lock();
        try {
            if (closed) {
                throw new TvStorageException(ErrorCode.VAULT_CLOSED, "vault " + dir + " is closed; open it again");
            }
            return body.get();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Marks the vault closed and runs {@code release} once, after every call in flight has returned. */
    void close(Runnable release) {
        lock.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            release.run();
        } finally {
            lock.writeLock().unlock();
        }
    }
}
