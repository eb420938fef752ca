package dev.tablevault.engine.lock;

import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.LockMode;
import dev.tablevault.api.ProcessState;
import dev.tablevault.api.TvLockException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * In-memory lock table for resources {@code vault}, {@code table:T}, {@code instance:T/I} and
 * {@code artifacts:T}. A table lock covers that table's instances and artifact folder. Durable copies live in
 * the {@code locks} column family; the caller writes them in the same batch as the process change and
 * {@link #adopt}s them on open.
 *
 * <p>Thread safe. Its monitor is held only to inspect or change the table, never while waiting: a waiter
 * parks on a condition, which releases it. Every operation passes through here, so the monitor is held as
 * briefly as possible: {@link #heldBy} reads without it, and nobody is signalled when nobody waits. A request
 * blocked by a holder that is not running in this JVM (paused, or crashed and not restarted) fails at once; a
 * request that would close a cycle in the wait-for graph fails at once with {@link ErrorCode#DEADLOCK}.
 */
public final class LockManager implements LockTable {

    /** What the lock manager needs to know of a holder. */
    public interface Holders {
        /** The holder's state, error and whether it is running in this JVM now. */
        Holder describe(String processId);

        /** True when {@code requester} is {@code holder} or one of its sub-processes (they share locks). */
        boolean shares(String holder, String requester);
    }

    /**
     * A holder's state as the lock manager reports it; {@code runnerPid}: the OS process running it, or that last
     * ran it, null when not known.
     */
    public record Holder(ProcessState state, String error, boolean running, Long runnerPid) {
        /** How messages name the holder's OS process: {@code "OS process N"}, or {@code "OS process unknown"}. */
        String os() {
            return "OS process " + (runnerPid == null ? "unknown" : runnerPid);
        }
    }

    /** One held lock. */
    public record Held(String resource, LockMode mode, String processId) {
    }

    private final Holders holders;
    private final ReentrantLock mu = new ReentrantLock();
    private final Condition changed = mu.newCondition();
    /** Locks grouped by the table they concern ({@code ""} for the vault lock). */
    private final Map<String, List<Held>> byGroup = new HashMap<>();
    /**
     * The same locks by holder, as immutable lists; changed under {@link #mu}, read without it. Holds no empty
     * list.
     */
    private final Map<String, List<Held>> byProcess = new ConcurrentHashMap<>();
    /** Wait-for edges: waiter to the holders it waits on. */
    private final Map<String, Set<String>> waitsFor = new HashMap<>();
    /** Requests parked on {@link #changed}; guarded by {@link #mu}. */
    private int waiting;

    public LockManager(Holders holders) {
        this.holders = holders;
    }

    /** Nothing to do: a process holds nothing until its first {@link #acquire}. */
    @Override
    public void begin(String processId, String parentId) {
    }

    /**
     * Takes {@code mode} on {@code resource} for {@code processId}, waiting up to {@code timeout}.
     * Re-entrant: a lock already held in the same or a stronger mode returns at once.
     *
     * @throws TvLockException on timeout, a non-running holder, or deadlock
     * @throws InterruptedException if interrupted while waiting
     */
    @Override
    public void acquire(String processId, String resource, LockMode mode, Duration timeout)
            throws InterruptedException {
        String group = LockRules.group(resource);
        long deadline = System.nanoTime() + timeout.toNanos();
        mu.lock();
        try {
            while (true) {
                List<Held> list = byGroup.computeIfAbsent(group, g -> new ArrayList<>());
                LockRules.Decision d = LockRules.decide(processId, resource, mode, list, holders::shares);
                if (d.satisfied()) {
                    return;
                }
                List<Held> conflicts = d.conflicts();
                if (conflicts.isEmpty()) {
                    if (d.mine() != null) {
                        list.remove(d.mine());
                    }
                    add(list, new Held(resource, mode, processId), d.mine());
                    waitsFor.remove(processId);
                    return;
                }
                Set<String> blockers = new HashSet<>();
                Holder first = null;
                for (Held c : conflicts) {
                    Holder info = holders.describe(c.processId);
                    if (!info.running()) {
                        waitsFor.remove(processId);
                        throw LockRules.heldByPaused(resource, mode, c, info);
                    }
                    if (first == null) {
                        first = info;
                    }
                    blockers.add(c.processId);
                }
                waitsFor.put(processId, blockers);
                Held conflict = conflicts.get(0);
                for (String b : blockers) {
                    if (reaches(b, processId, new HashSet<>())) {
                        waitsFor.remove(processId);
                        throw LockRules.deadlock(resource, mode, b, holders.describe(b));
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    waitsFor.remove(processId);
                    throw LockRules.timeout(resource, mode, timeout, conflict, first.runnerPid());
                }
                waiting++;
                try {
                    changed.awaitNanos(left);
                } catch (InterruptedException e) {
                    waitsFor.remove(processId);
                    throw e;
                } finally {
                    waiting--;
                }
                waitsFor.remove(processId);
            }
        } finally {
            mu.unlock();
        }
    }

    /** Installs a lock read back from the {@code locks} family, without conflict checks. */
    @Override
    public void adopt(String processId, String resource, LockMode mode) {
        mu.lock();
        try {
            add(byGroup.computeIfAbsent(LockRules.group(resource), g -> new ArrayList<>()),
                    new Held(resource, mode, processId), null);
        } finally {
            mu.unlock();
        }
    }

    /** Adds {@code held} to its group's {@code list} and to its holder's locks, replacing {@code old}. */
    private void add(List<Held> list, Held held, Held old) {
        list.add(held);
        List<Held> mine = new ArrayList<>(byProcess.getOrDefault(held.processId, List.of()));
        mine.remove(old);
        mine.add(held);
        byProcess.put(held.processId, List.copyOf(mine));
    }

    /** Releases every lock of {@code processId} and wakes the waiters. */
    @Override
    public void releaseAll(String processId) {
        mu.lock();
        try {
            List<Held> mine = byProcess.remove(processId);
            if (mine == null) {
                return;
            }
            for (Held h : mine) {
                String group = LockRules.group(h.resource);
                List<Held> list = byGroup.get(group);
                list.remove(h);
                if (list.isEmpty()) {
                    byGroup.remove(group);
                }
            }
            if (waiting > 0) {
                changed.signalAll();
            }
        } finally {
            mu.unlock();
        }
    }

    /**
     * Wakes waiters so they re-check holder {@code processId}, whose state changed (e.g. it just paused). A
     * holder of no lock blocks nobody, so then nobody is woken.
     */
    @Override
    public void holderChanged(String processId) {
        if (!byProcess.containsKey(processId)) {
            return;
        }
        mu.lock();
        try {
            if (waiting > 0) {
                changed.signalAll();
            }
        } finally {
            mu.unlock();
        }
    }

    /** The locks held by one process, in the order taken. */
    @Override
    public List<Held> heldBy(String processId) {
        return byProcess.getOrDefault(processId, List.of());
    }

    /** Every held lock. */
    @Override
    public List<Held> all() {
        mu.lock();
        try {
            List<Held> out = new ArrayList<>();
            byGroup.values().forEach(out::addAll);
            return out;
        } finally {
            mu.unlock();
        }
    }

    /**
     * True when the wait edges lead from {@code from} to {@code target}. A process also waits for its running
     * sub-processes (a builder's write blocks the builder): reaching an ancestor of {@code target} reaches it, and
     * the edges of {@code from}'s sub-processes are {@code from}'s.
     */
    private boolean reaches(String from, String target, Set<String> seen) {
        if (holders.shares(from, target)) {
            return true;
        }
        if (!seen.add(from)) {
            return false;
        }
        for (Map.Entry<String, Set<String>> w : waitsFor.entrySet()) {
            if (w.getKey().equals(from) || holders.shares(from, w.getKey())) {
                for (String next : w.getValue()) {
                    if (reaches(next, target, seen)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    public static String table(String table) {
        return "table:" + table;
    }

    public static String instance(String table, String id) {
        return "instance:" + table + "/" + id;
    }

    public static String artifacts(String table) {
        return "artifacts:" + table;
    }

    public static final String VAULT = "vault";
}
