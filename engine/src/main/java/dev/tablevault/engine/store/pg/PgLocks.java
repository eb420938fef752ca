package dev.tablevault.engine.store.pg;

import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.LockMode;
import dev.tablevault.api.ProcessState;
import dev.tablevault.api.TableVaultException;
import dev.tablevault.api.TvLockException;
import dev.tablevault.api.TvProcessException;
import dev.tablevault.api.TvStorageException;
import dev.tablevault.engine.lock.LockManager.Held;
import dev.tablevault.engine.lock.LockManager.Holder;
import dev.tablevault.engine.lock.LockRules;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiPredicate;
import java.util.function.Function;

/**
 * The lock table of a vault shared by several hosts: {@link dev.tablevault.engine.lock.LockManager}'s semantics
 * (the same {@link LockRules}, codes and messages) on PostgreSQL rows ({@code tv_locks}, schema V2), so a lock
 * outlives its host's connection and a paused process keeps its locks.
 *
 * <p>A request runs in one short READ COMMITTED transaction: it takes the vault's group row FOR SHARE (FOR UPDATE
 * for a vault lock) and its table's group row FOR UPDATE, so acquirers of one table are serialized and see each
 * other's committed rows; it reads the group's locks with their holders' run and host, and decides in Java. A
 * holder is running when its run is RUNNING on a LIVE host whose lease has not ended. Waiting happens outside any
 * transaction, polling with jittered backoff; the wait-for graph is {@code tv_lock_waits}, checked for a cycle
 * under the {@code waits} mutex row. No advisory lock or session state is used, so a pooler in transaction mode
 * and a reconnect change nothing.
 *
 * <p>The {@link DataSource} must give READ COMMITTED connections (PostgreSQL's default). Sub-processes share
 * their ancestors' locks through the caller's {@code shares} predicate (a sub-process runs on its parent's
 * host, which knows it). Thread safe.
 */
public final class PgLocks {
    private static final long FIRST_WAIT_NANOS = 5_000_000;
    private static final long LONGEST_WAIT_NANOS = 200_000_000;

    /** A lock that blocks a request, and its holder as the lock table sees it. */
    public record Blocker(Held held, Holder holder) {
    }

    /** One try of a request: granted when nothing blocks it, else blocked by running holders. */
    public record Attempt(String resource, LockMode mode, List<Blocker> blockers) {
        public boolean granted() {
            return blockers.isEmpty();
        }
    }

    /** One try of a request in its own transaction (for example a one-step operation's whole commit). */
    @FunctionalInterface
    public interface Try {
        /**
         * Takes the locks and, when granted, commits.
         *
         * @throws TvLockException {@link ErrorCode#LOCK_HELD_BY_PAUSED}
         */
        Attempt run();
    }

    private final DataSource db;
    private final BiPredicate<String, String> shares;
    private final Function<String, String> errors;
    /** Wake-up hint for this instance's waiters: bumped on each release through it. */
    private final Object released = new Object();
    private long releases;

    /**
     * @param shares {@code shares.test(holder, requester)}: the requester is the holder or one of its
     *               sub-processes, so it uses the holder's locks
     * @param errors the error that paused a process (from its record), or null; named by
     *               {@link ErrorCode#LOCK_HELD_BY_PAUSED}
     */
    public PgLocks(DataSource db, BiPredicate<String, String> shares, Function<String, String> errors) {
        this.db = db;
        this.shares = shares;
        this.errors = errors;
    }

    /**
     * Takes {@code mode} on {@code resource} for {@code pid}, waiting up to {@code timeout}; re-entrant, and an
     * upgrade from shared to exclusive when asked.
     *
     * @throws TvLockException on timeout, a non-running holder, or deadlock
     * @throws InterruptedException if interrupted while waiting
     */
    public void acquire(String pid, String resource, LockMode mode, Duration timeout) throws InterruptedException {
        acquire(pid, timeout, () -> tryAcquire(pid, resource, mode));
    }

    /**
     * Runs {@code attempt} until it is granted: while running holders block it, records {@code pid}'s wait edge
     * (failing with {@link ErrorCode#DEADLOCK} when the edge would close a cycle) and waits, up to
     * {@code timeout} ({@link ErrorCode#LOCK_TIMEOUT}). The edge is gone when this returns or throws.
     */
    public void acquire(String pid, Duration timeout, Try attempt) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long backoff = FIRST_WAIT_NANOS;
        boolean waited = false;
        try {
            while (true) {
                if (Thread.interrupted()) {
                    throw new InterruptedException("interrupted while waiting to lock for process " + pid);
                }
                long seen = releases();
                Attempt a = attempt.run();
                if (a.granted()) {
                    return; // the granting transaction deleted the wait edge
                }
                waited = true;
                recordWait(pid, a);
                long left = deadline - System.nanoTime();
                Blocker first = a.blockers().get(0);
                if (left <= 0) {
                    throw LockRules.timeout(a.resource(), a.mode(), timeout, first.held(), first.holder().runnerPid());
                }
                awaitRelease(seen, Math.min(left, ThreadLocalRandom.current().nextLong(backoff / 2, backoff + 1)));
                backoff = Math.min(backoff * 2, LONGEST_WAIT_NANOS);
            }
        } catch (RuntimeException | InterruptedException e) {
            if (waited) {
                try {
                    clearWait(pid);
                } catch (RuntimeException cleanup) {
                    e.addSuppressed(cleanup);
                }
            }
            throw e;
        }
    }

    /** One try of {@link #acquire} in its own transaction, committed when granted. */
    public Attempt tryAcquire(String pid, String resource, LockMode mode) {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try {
                Attempt a = tryAcquire(c, pid, resource, mode);
                if (a.granted()) {
                    c.commit();
                } else {
                    c.rollback();
                }
                return a;
            } catch (RuntimeException | SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw failed("lock " + resource + " (" + mode + ") for process " + pid, e);
        }
    }

    /**
     * One try inside the caller's READ COMMITTED transaction on {@code c}, which it neither commits nor rolls
     * back: when granted, the lock row and the removal of {@code pid}'s wait edge are written in it, and the
     * group rows stay locked until it ends, so the caller may write its data change and commit it with the lock.
     * A caller taking locks in several tables takes them in table-name order (the vault first).
     *
     * @throws TvLockException {@link ErrorCode#LOCK_HELD_BY_PAUSED} when a holder that blocks it is not running
     */
    public Attempt tryAcquire(Connection c, String pid, String resource, LockMode mode) throws SQLException {
        String grp = LockRules.group(resource);
        lockGroups(c, grp);
        List<Blocker> rows = read(c, grp);
        List<Held> held = rows.stream().map(Blocker::held).toList();
        LockRules.Decision d = LockRules.decide(pid, resource, mode, held, shares);
        if (d.satisfied()) {
            return new Attempt(resource, mode, List.of());
        }
        if (d.grantable()) {
            try (PreparedStatement s = c.prepareStatement("WITH gone AS (DELETE FROM tv_lock_waits WHERE waiter = ?)"
                    + " INSERT INTO tv_locks (resource, pid, mode, grp) VALUES (?, ?, ?, ?)"
                    + " ON CONFLICT (resource, pid) DO UPDATE SET mode = excluded.mode, taken = excluded.taken")) {
                s.setString(1, pid);
                s.setString(2, resource);
                s.setString(3, pid);
                s.setString(4, mode == LockMode.EXCLUSIVE ? "X" : "S");
                s.setString(5, grp);
                s.executeUpdate();
            }
            return new Attempt(resource, mode, List.of());
        }
        List<Blocker> blockers = new ArrayList<>();
        for (Held h : d.conflicts()) {
            Blocker b = rows.get(held.indexOf(h));
            if (!b.holder().running()) {
                Holder paused = new Holder(b.holder().state(), errors.apply(h.processId()), false,
                        b.holder().runnerPid());
                throw LockRules.heldByPaused(resource, mode, h, paused);
            }
            blockers.add(b);
        }
        return new Attempt(resource, mode, List.copyOf(blockers));
    }

    /** Releases every lock of {@code pid} and its wait edge, in one transaction. */
    public void releaseAll(String pid) {
        try (Connection c = db.getConnection();
             PreparedStatement s = c.prepareStatement("WITH gone AS (DELETE FROM tv_lock_waits WHERE waiter = ?)"
                     + " DELETE FROM tv_locks WHERE pid = ?")) {
            s.setString(1, pid);
            s.setString(2, pid);
            s.executeUpdate();
        } catch (SQLException e) {
            throw failed("release the locks of process " + pid, e);
        }
        wake();
    }

    /**
     * Wakes this instance's waiters at once, to try again: a lock was released another way (an end batch deleting
     * its run, whose lock rows go with it) or a holder's state changed.
     */
    public void wake() {
        synchronized (released) {
            releases++;
            released.notifyAll();
        }
    }

    /** The locks held by {@code pid}, in the order taken. */
    public List<Held> heldBy(String pid) {
        return list("SELECT resource, mode, pid FROM tv_locks WHERE pid = ? ORDER BY taken", pid);
    }

    /** Every held lock, by group, in the order taken. */
    public List<Held> all() {
        return list("SELECT resource, mode, pid FROM tv_locks ORDER BY grp, taken", null);
    }

    /**
     * Takes the vault's group row FOR SHARE and {@code grp}'s FOR UPDATE (the vault's FOR UPDATE for a vault
     * lock), inserting {@code grp}'s row first if it is missing. The insert runs in this transaction: a concurrent
     * insert of the same row waits for it, then finds it.
     */
    private static void lockGroups(Connection c, String grp) throws SQLException {
        if (grp.isEmpty()) {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT 1 FROM tv_lock_groups WHERE grp = '' FOR UPDATE")) {
                s.executeQuery().close();
            }
            return;
        }
        for (int round = 0; ; round++) {
            try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM tv_lock_groups v, tv_lock_groups g"
                    + " WHERE v.grp = '' AND g.grp = ? FOR SHARE OF v FOR UPDATE OF g")) {
                s.setString(1, grp);
                try (ResultSet r = s.executeQuery()) {
                    if (r.next() || round > 0) {
                        return;
                    }
                }
            }
            try (PreparedStatement s = c.prepareStatement(
                    "INSERT INTO tv_lock_groups VALUES (?) ON CONFLICT DO NOTHING")) {
                s.setString(1, grp);
                s.executeUpdate();
            }
        }
    }

    /**
     * The locks of {@code grp} and of the vault (all locks for a vault request), with their holders: running
     * when the run is RUNNING on a LIVE host within its lease; a paused run reports PAUSED, any other RUNNING.
     */
    private static List<Blocker> read(Connection c, String grp) throws SQLException {
        String sql = "SELECT l.resource, l.mode, l.pid, r.state, h.state = 'LIVE' AND h.lease_until > now(),"
                + " h.os_pid FROM tv_locks l JOIN tv_runs r ON r.pid = l.pid"
                + " LEFT JOIN tv_hosts h ON h.host_id = r.owner_host"
                + (grp.isEmpty() ? "" : " WHERE l.grp IN (?, '')") + " ORDER BY l.taken";
        List<Blocker> out = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(sql)) {
            if (!grp.isEmpty()) {
                s.setString(1, grp);
            }
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    String run = r.getString(4);
                    boolean running = "RUNNING".equals(run) && r.getBoolean(5);
                    long os = r.getLong(6);
                    Long osPid = r.wasNull() ? null : os;
                    out.add(new Blocker(held(r), new Holder("PAUSED".equals(run) ? ProcessState.PAUSED
                            : ProcessState.RUNNING, null, running, osPid)));
                }
            }
        }
        return out;
    }

    /**
     * Records that {@code pid} waits for the running holders blocking {@code a}, unless that closes a cycle: then
     * fails with {@link ErrorCode#DEADLOCK} naming a holder that (transitively) waits for {@code pid}. Under the
     * {@code waits} mutex row, so two requesters closing one cycle cannot both miss the other's edge.
     */
    private void recordWait(String pid, Attempt a) {
        String[] holders = a.blockers().stream().map(b -> b.held().processId()).distinct().toArray(String[]::new);
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement s = c.prepareStatement(
                        "SELECT 1 FROM tv_mutex WHERE name = 'waits' FOR UPDATE")) {
                    s.executeQuery().close();
                }
                String closer = cycleThrough(c, pid, holders);
                if (closer != null) {
                    c.rollback();
                    Holder info = a.blockers().stream().filter(b -> b.held().processId().equals(closer))
                            .findFirst().orElseThrow().holder();
                    throw LockRules.deadlock(a.resource(), a.mode(), closer, info);
                }
                try (PreparedStatement s = c.prepareStatement("INSERT INTO tv_lock_waits VALUES (?, ?, now())"
                        + " ON CONFLICT (waiter) DO UPDATE SET holders = excluded.holders")) {
                    s.setString(1, pid);
                    s.setArray(2, c.createArrayOf("text", holders));
                    s.executeUpdate();
                }
                c.commit();
            } catch (RuntimeException | SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw failed("record that process " + pid + " waits for " + String.join(", ", holders), e);
        }
    }

    /**
     * The first of {@code holders} from which the wait edges lead back to {@code pid}, or null. A process also
     * waits for its sub-processes (a builder's write blocks the builder), so the walk goes from a process to its
     * children too: two executions on two hosts whose builders each wait for the other's table close a cycle.
     */
    private static String cycleThrough(Connection c, String pid, String[] holders) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("WITH RECURSIVE reach(origin, pid) AS ("
                + " SELECT h, h FROM unnest(?::text[]) AS h"
                + " UNION SELECT r.origin, n.pid FROM reach r, LATERAL ("
                + " SELECT unnest(w.holders) FROM tv_lock_waits w WHERE w.waiter = r.pid"
                + " UNION ALL SELECT k.pid FROM tv_runs k WHERE k.parent = r.pid) AS n(pid))"
                + " SELECT origin FROM reach WHERE pid = ? ORDER BY array_position(?::text[], origin) LIMIT 1")) {
            s.setArray(1, c.createArrayOf("text", holders));
            s.setString(2, pid);
            s.setArray(3, c.createArrayOf("text", holders));
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? r.getString(1) : null;
            }
        }
    }

    private void clearWait(String pid) {
        try (Connection c = db.getConnection();
             PreparedStatement s = c.prepareStatement("DELETE FROM tv_lock_waits WHERE waiter = ?")) {
            s.setString(1, pid);
            s.executeUpdate();
        } catch (SQLException e) {
            throw failed("remove the wait edge of process " + pid, e);
        }
    }

    private long releases() {
        synchronized (released) {
            return releases;
        }
    }

    /** Waits up to {@code nanos}, or less once a release through this instance follows {@code seen}. */
    private void awaitRelease(long seen, long nanos) throws InterruptedException {
        long end = System.nanoTime() + nanos;
        synchronized (released) {
            for (long left = nanos; releases == seen && left > 0; left = end - System.nanoTime()) {
                released.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    private List<Held> list(String sql, String pid) {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            if (pid != null) {
                s.setString(1, pid);
            }
            List<Held> out = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(held(r));
                }
            }
            return out;
        } catch (SQLException e) {
            throw failed("read the lock table", e);
        }
    }

    private static Held held(ResultSet r) throws SQLException {
        return new Held(r.getString(1), "X".equals(r.getString(2)) ? LockMode.EXCLUSIVE : LockMode.SHARED,
                r.getString(3));
    }

    private static TableVaultException failed(String what, SQLException e) {
        if ("23503".equals(e.getSQLState())) { // foreign_key_violation: tv_locks.pid
            return new TvProcessException(ErrorCode.PROCESS_STATE, "cannot " + what + ": the process has no row in"
                    + " tv_runs (it is not active on this vault); start it before it takes locks", e);
        }
        return new TvStorageException(ErrorCode.IO, "cannot " + what + " on PostgreSQL (SQLSTATE " + e.getSQLState()
                + "): " + e.getMessage() + "; check the database connection and retry", e);
    }
}
