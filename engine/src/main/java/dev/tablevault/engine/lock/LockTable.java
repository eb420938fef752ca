package dev.tablevault.engine.lock;

import dev.tablevault.api.LockMode;

import java.time.Duration;
import java.util.List;

/**
 * A vault's lock table as the engine uses it: {@link LockManager} in memory for a vault with one owning OS process,
 * lock rows for a vault shared by hosts ({@code store.pg.PgLockTable}). Both decide with {@link LockRules}, so the
 * modes, what covers what, the sharing of sub-processes and the three lock errors are the same on both.
 *
 * <p>Thread safe.
 */
public interface LockTable {
    /**
     * Registers new process {@code processId} (a sub-process of {@code parentId}, or null) before its first lock.
     * Where locks are rows this begins its run, so other hosts see who holds them.
     *
     * @throws dev.tablevault.api.TvProcessException {@code PROCESS_STATE} when another host runs a process with
     *         this id
     */
    void begin(String processId, String parentId);

    /**
     * Takes {@code mode} on {@code resource} for {@code processId}, waiting up to {@code timeout}. Re-entrant: a
     * lock already held in the same or a stronger mode returns at once.
     *
     * @throws dev.tablevault.api.TvLockException on timeout, a holder that is not running, or deadlock
     * @throws InterruptedException if interrupted while waiting
     */
    void acquire(String processId, String resource, LockMode mode, Duration timeout)
            throws InterruptedException;

    /** Installs a lock read back from the {@code locks} family at open; a table whose locks are rows has them. */
    void adopt(String processId, String resource, LockMode mode);

    /**
     * Forgets every lock of {@code processId}, which ended (where locks are rows, its end batch deleted them), and
     * wakes the waiters.
     */
    void releaseAll(String processId);

    /** Wakes waiters so they re-check holder {@code processId}, whose state changed (e.g. it just paused). */
    void holderChanged(String processId);

    /** The locks held by one process, in the order taken. */
    List<LockManager.Held> heldBy(String processId);

    /** Every held lock. */
    List<LockManager.Held> all();
}
