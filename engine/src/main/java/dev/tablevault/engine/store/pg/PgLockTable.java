package dev.tablevault.engine.store.pg;

import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.LockMode;
import dev.tablevault.api.ProcessState;
import dev.tablevault.api.TvLockException;
import dev.tablevault.engine.lock.LockManager;
import dev.tablevault.engine.lock.LockManager.Held;
import dev.tablevault.engine.lock.LockRules;
import dev.tablevault.engine.lock.LockTable;

import javax.sql.DataSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The engine's lock table on a shared vault: {@link PgLocks}' rows, which every host sees, with the engine's
 * process life around them. A process's run begins ({@link PgRuns#begin}) before its first lock, so each lock row
 * has a run; its end batch deletes the run and, with it, its lock rows, in the same transaction as the process's
 * end, so {@link #releaseAll} only forgets and wakes. A paused process keeps its rows across disconnects and host
 * deaths.
 *
 * <p>A request blocked by a holder whose host's lease ran out, before any sweep declared that host dead, sweeps
 * once and tries again: the dead host's runs that never persisted are deleted with their locks (the request may
 * then be granted), the others are orphaned and their holders reported by {@code LOCK_HELD_BY_PAUSED} as today.
 *
 * <p>The locks of the processes begun on this host are also kept in memory while they run here, so a checkpoint's
 * batch lists them without a round trip; any other process's are read from the rows. Thread safe.
 */
final class PgLockTable implements LockTable {
    private final PgBackend backend;
    private final DataSource pool;
    private final PgLocks rows;
    /** The locks of processes begun on this host and running here, in the order taken. */
    private final Map<String, List<Held>> mine = new ConcurrentHashMap<>();

    PgLockTable(PgBackend backend, DataSource pool, LockManager.Holders holders) {
        this.backend = backend;
        this.pool = pool;
        this.rows = new PgLocks(pool, holders::shares, pid -> holders.describe(pid).error());
    }

    @Override
    public void begin(String processId, String parentId) {
        PgRuns.begin(backend, processId, parentId);
        mine.put(processId, List.of());
    }

    @Override
    public void acquire(String processId, String resource, LockMode mode, Duration timeout)
            throws InterruptedException {
        try {
            rows.acquire(processId, resource, mode, timeout);
        } catch (TvLockException e) {
            if (e.code() != ErrorCode.LOCK_HELD_BY_PAUSED || e.holderState() != ProcessState.RUNNING
                    || new Sweeper(pool).sweep().hosts().isEmpty()) {
                throw e;
            }
            rows.acquire(processId, resource, mode, timeout);
        }
        mine.computeIfPresent(processId, (pid, held) -> with(held, new Held(resource, mode, pid)));
    }

    /** {@code held} with {@code taken} granted: added, or replacing a weaker lock on the same resource. */
    private static List<Held> with(List<Held> held, Held taken) {
        List<Held> out = new ArrayList<>(held.size() + 1);
        for (Held h : held) {
            if (h.resource().equals(taken.resource())) {
                if (LockRules.covers(h.mode(), taken.mode())) {
                    return held;
                }
            } else {
                out.add(h);
            }
        }
        out.add(taken);
        return List.copyOf(out);
    }

    /** Nothing to do: the rows are durable, and every host reads them. */
    @Override
    public void adopt(String processId, String resource, LockMode mode) {
    }

    @Override
    public void releaseAll(String processId) {
        mine.remove(processId);
        rows.wake();
    }

    /** Also forgets its locks here: it no longer runs on this host, and another host may claim it. */
    @Override
    public void holderChanged(String processId) {
        mine.remove(processId);
        rows.wake();
    }

    @Override
    public List<Held> heldBy(String processId) {
        List<Held> held = mine.get(processId);
        return held != null ? held : rows.heldBy(processId);
    }

    @Override
    public List<Held> all() {
        return rows.all();
    }
}
