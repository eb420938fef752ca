package dev.tablevault.engine.lock;

import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.Hint;
import dev.tablevault.api.LockMode;
import dev.tablevault.api.ProcessState;
import dev.tablevault.api.TvLockException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiPredicate;

/**
 * The lock rules both lock tables apply (the in-memory {@link LockManager} and the PostgreSQL one): which group a
 * resource belongs to, which resources overlap, which modes are compatible, when a request is already satisfied,
 * and the three {@link TvLockException}s with their messages. Pure functions; a table only stores locks and
 * waits.
 */
public final class LockRules {
    private LockRules() {
    }

    /**
     * What a request meets in its group: {@code mine}, the requester's own lock on the same resource (or null);
     * {@code satisfied}, true when {@code mine} is already as strong as asked (re-entrancy); {@code conflicts},
     * the other holders' locks that block it, in the order given.
     */
    public record Decision(LockManager.Held mine, boolean satisfied, List<LockManager.Held> conflicts) {
        /** True when the request may be granted now: a new lock, or an upgrade of {@link #mine}. */
        public boolean grantable() {
            return !satisfied && conflicts.isEmpty();
        }
    }

    /**
     * Decides a request of {@code requester} for {@code mode} on {@code resource} against {@code held}, the locks
     * of its group (other groups never conflict). {@code shares.test(holder, requester)} is true when the requester
     * is the holder or one of its sub-processes: they share the holder's locks.
     */
    public static Decision decide(String requester, String resource, LockMode mode, Iterable<LockManager.Held> held,
                                  BiPredicate<String, String> shares) {
        LockManager.Held mine = null;
        List<LockManager.Held> conflicts = new ArrayList<>();
        for (LockManager.Held h : held) {
            if (h.processId().equals(requester) && h.resource().equals(resource)) {
                mine = h;
            } else if (overlaps(h.resource(), resource) && !compatible(h.mode(), mode)
                    && !shares.test(h.processId(), requester)) {
                conflicts.add(h);
            }
        }
        return new Decision(mine, mine != null && covers(mine.mode(), mode), conflicts);
    }

    /** True when locks in modes {@code a} and {@code b} on overlapping resources may be held together. */
    public static boolean compatible(LockMode a, LockMode b) {
        return a == LockMode.SHARED && b == LockMode.SHARED;
    }

    /** True when a lock held in mode {@code held} already gives {@code wanted} (no upgrade needed). */
    public static boolean covers(LockMode held, LockMode wanted) {
        return held == LockMode.EXCLUSIVE || wanted == LockMode.SHARED;
    }

    /** The table a resource concerns, or {@code ""} for the vault. */
    public static String group(String resource) {
        if (resource.startsWith("table:")) {
            return resource.substring(6);
        }
        if (resource.startsWith("artifacts:")) {
            return resource.substring(10);
        }
        if (resource.startsWith("instance:")) {
            String rest = resource.substring(9);
            int slash = rest.indexOf('/');
            return slash < 0 ? rest : rest.substring(0, slash);
        }
        return "";
    }

    /**
     * True when the two resources, of one {@link #group}, are the same or one covers the other (a table covers
     * its parts).
     */
    public static boolean overlaps(String a, String b) {
        if (a.equals(b)) {
            return true;
        }
        return (a.startsWith("table:") && !b.equals("vault")) || (b.startsWith("table:") && !a.equals("vault"));
    }

    /** {@link ErrorCode#LOCK_HELD_BY_PAUSED}: {@code conflict}'s holder, described by {@code info}, is not running. */
    public static TvLockException heldByPaused(String resource, LockMode mode, LockManager.Held conflict,
                                               LockManager.Holder info) {
        String why = info.state() == ProcessState.PAUSED ? "paused" : "not running (" + info.state()
                + ", its owner died)";
        return (TvLockException) new TvLockException(ErrorCode.LOCK_HELD_BY_PAUSED, "cannot lock " + resource + " ("
                + mode + "): held " + conflict.mode() + " on " + conflict.resource() + " by process "
                + conflict.processId() + " (" + info.os() + ") which is " + why + (info.error() == null ? ""
                : "; its error: " + info.error()),
                resource, conflict.processId(), info.state(), info.error(), info.runnerPid())
                .withHint(Hint.resumeOrStop(conflict.processId()));
    }

    /** {@link ErrorCode#DEADLOCK}: waiting for {@code blocker}, described by {@code info}, would close a cycle. */
    public static TvLockException deadlock(String resource, LockMode mode, String blocker, LockManager.Holder info) {
        return new TvLockException(ErrorCode.DEADLOCK, "cannot lock " + resource + " (" + mode
                + "): waiting for process " + blocker + " (" + info.os() + ") would deadlock; retry the"
                + " operation", resource, blocker, info.state(), info.error(), info.runnerPid());
    }

    /**
     * {@link ErrorCode#LOCK_TIMEOUT}: {@code conflict}, held by a running process whose runner is
     * {@code runnerPid} (null when not known), outlasted {@code timeout}.
     */
    public static TvLockException timeout(String resource, LockMode mode, Duration timeout,
                                          LockManager.Held conflict, Long runnerPid) {
        LockManager.Holder running = new LockManager.Holder(ProcessState.RUNNING, null, true, runnerPid);
        return (TvLockException) new TvLockException(ErrorCode.LOCK_TIMEOUT, "cannot lock " + resource
                + " (" + mode + ") within " + timeout.toMillis() + " ms: held " + conflict.mode() + " on "
                + conflict.resource() + " by process " + conflict.processId() + " (RUNNING, " + running.os()
                + ")", resource, conflict.processId(), ProcessState.RUNNING, null, runnerPid)
                .withHint(new Hint(Hint.Action.RETRY_LATER, conflict.processId(), null));
    }
}
