package dev.tablevault.engine.process;

import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.Hint;
import dev.tablevault.api.TableVaultException;
import dev.tablevault.api.TvProcessException;
import dev.tablevault.engine.codec.Codec;
import dev.tablevault.engine.codec.Records.ProcessRecord;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Runs an {@link Op} as a process: checks its id (active: resume with the same arguments; finished: refuse),
 * takes its locks, validates, runs its steps to the commit, and on a failure or a stop hands it to
 * {@link Settlement}. Keeps the processes running in this JVM.
 *
 * <p>Thread safe; a process id runs on one thread at a time, operations on disjoint resources run in parallel.
 */
final class Runner {
    private final OpenVault vault;
    /** Rebuilds an operation from the arguments its BEGIN entry recorded (for resume and restart). */
    private final Function<Object, Op> rebuild;
    private final ProcessLog log;
    private final Settlement settlement;
    private final Map<String, ProcessContext> running = new ConcurrentHashMap<>();

    Runner(OpenVault vault, Function<Object, Op> rebuild, ProcessLog log, Settlement settlement) {
        this.vault = vault;
        this.rebuild = rebuild;
        this.log = log;
        this.settlement = settlement;
    }

    /** Runs {@code op} as process {@code pid}, resuming it if it is active. */
    String run(Op op, String pid, boolean userId) {
        return run(op, pid, userId, false);
    }

    /** Runs {@code op} as a sub-process of the running process {@code parent}: it shares the parent's locks. */
    String runAsChild(Op op, String pid, boolean userId, String parent) {
        if (!running.containsKey(parent)) {
            throw new TvProcessException(ErrorCode.PROCESS_STATE, "process " + parent + " is not running here, so a"
                    + " vault handle it gave a builder can no longer start sub-processes; use the vault itself");
        }
        return run(op, pid, userId, false, parent);
    }

    /**
     * {@code resuming} is set when the caller knows the process is active (resume, restart): a generated id
     * skips the active and finished lookups only when it comes fresh from a call.
     */
    private String run(Op op, String pid, boolean userId, boolean resuming) {
        return run(op, pid, userId, resuming, null);
    }

    private String run(Op op, String pid, boolean userId, boolean resuming, String parent) {
        vault.checkWritable();
        settlement.settle(pid);
        String digest = digest(Codec.encode(op.args()));
        ProcessContext ctx = new ProcessContext(vault, pid, op, userId, digest, parent);
        ProcessContext prev;
        while ((prev = running.putIfAbsent(pid, ctx)) != null) {
            // A run whose runner (another OS process running its builder code) died ends at its next exchange
            // with it, which fails at once: wait for that rather than refuse a resume.
            if (prev.runnerAlive() || !awaitEnd(prev)) {
                throw new TvProcessException(ErrorCode.PROCESS_STATE, "process " + pid
                        + " is already running in this vault").withHint(new Hint(Hint.Action.WAIT_OR_STOP, pid, null));
            }
        }
        ctx.live(vault.board().start(pid, op.name(), vault.author(), ctx.started));
        Op.Target target = op.target();
        if (target != null) {
            ctx.live().target(target.table(), target.version());
        }
        try {
            // A generated id is fresh: it can be neither active nor finished, so skip the two lookups.
            ProcessRecord existing = userId || resuming ? log.active(pid) : null;
            if (existing == null && userId) {
                ProcessRecord fin = log.finished(pid);
                if (fin != null) {
                    throw new TvProcessException(ErrorCode.PROCESS_STATE, "process id " + pid + " already finished ("
                            + fin.state() + ")").withHint(new Hint(Hint.Action.NEW_PROCESS_ID, pid, null));
                }
            } else if (existing != null) {
                if (!existing.operation().equals(op.name())) {
                    throw new TvProcessException(ErrorCode.PROCESS_ARGUMENTS_CHANGED, "process " + pid + " is a "
                            + existing.operation() + ", not a " + op.name()).withHint(Hint.resumeOrStop(pid));
                }
                if (!existing.digest().equals(digest)) {
                    throw new TvProcessException(ErrorCode.PROCESS_ARGUMENTS_CHANGED, "process " + pid
                            + " started with different arguments: " + ArgsDiff.describe(log.beginArgs(pid), op.args())
                            + "; call it with the arguments it started with").withHint(Hint.resumeOrStop(pid));
                }
                ctx.resumeFrom(existing, log.tail(pid));
                op.checkResumable(ctx);
                ctx.claimRun();
            }
            if (existing == null) {
                ctx.beginRun();
            }
            return execute(ctx);
        } finally {
            if (ctx.runnerGone) {
                ctx.live().runnerGone(ctx.runner()); // shows as its last save left it, with the runner that died
            } else {
                // Still active (a pause, or an end a full disk left unwritten): show it paused; else it ended.
                ctx.live().end(ctx.endState == null && ctx.persisted, ctx.record == null ? null : ctx.record.error());
            }
            running.remove(pid);
            ctx.done.countDown();
            // Waiters re-check: a holder that just paused is no longer running, so they fail at once.
            vault.lockManager().holderChanged(ctx.pid);
            Retention retention = vault.processes().retention();
            if (retention != null) {
                retention.afterRun(); // outside the locks, which the run released
            }
        }
    }

    /** Waits (up to {@link #RUNNER_GONE_WAIT_SECONDS}) for a run whose runner died to end; false if it did not. */
    private static boolean awaitEnd(ProcessContext prev) {
        try {
            return prev.done.await(RUNNER_GONE_WAIT_SECONDS, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** How long a resume waits for the run of a dead runner to notice. */
    static final long RUNNER_GONE_WAIT_SECONDS = 30;

    /**
     * Runs {@code ctx}; once it was fenced, whatever ends the run surfaces as PROCESS_FENCED (or as the
     * COMMIT_UNKNOWN that dropped it).
     */
    private String execute(ProcessContext ctx) {
        try {
            return executeOwned(ctx);
        } catch (Throwable e) {
            if (ctx.fenced && !(e instanceof TableVaultException t && (t.code() == ErrorCode.PROCESS_FENCED
                    || t.code() == ErrorCode.COMMIT_UNKNOWN))) {
                throw fencedOut(ctx, e);
            }
            throw Sneaky.<RuntimeException>rethrow(e);
        }
    }

    private String executeOwned(ProcessContext ctx) {
        Op op = ctx.op;
        try {
            for (Op.LockReq r : op.locks(ctx)) {
                vault.lockManager().acquire(ctx.pid, r.resource(), r.mode(), vault.options().lockTimeout());
            }
            ctx.crash("locked");
            op.validate(ctx);
            op.run(ctx);
            return ctx.pid;
        } catch (ProcessContext.RunnerGone g) {
            ctx.runnerGone = true;
            throw g; // a crash of its runner: nothing is settled, the process stays as its last save left it
        } catch (ProcessContext.StopRequested s) {
            if (ctx.ended || ctx.fenced) {
                throw s;
            }
            RuntimeException unwritten = settlement.stop(ctx, s.materialize, s.by);
            if (unwritten != null) {
                throw unwritten;
            }
            throw new TvProcessException(ErrorCode.PROCESS_STOPPED, "process " + ctx.pid + " was stopped by process "
                    + s.by + (s.materialize ? "; its partial result was materialized" : "; it was reverted"));
        } catch (TableVaultException e) {
            if (!ctx.ended && !ctx.fenced) {
                // Code missing at resume time is a deployment problem, not bad input: keep the work, wait for
                // the code (a restart after registering it resumes). A full disk is the environment's, like an
                // external error: the caller frees space and resumes; so is a shared vault's database out of reach
                // (restarting): the caller resumes once it is back.
                if (e.code() == ErrorCode.BUILDER_NOT_FOUND && ctx.persisted
                        || e.code() == ErrorCode.DISK_FULL && ctx.userId
                        || e.code() == ErrorCode.IO && ctx.userId && vault.store().sharedOwners()) {
                    settlement.pause(ctx, e);
                } else {
                    settlement.revert(ctx, e);
                }
            }
            throw e;
        } catch (InterruptedException e) {
            if (ctx.fenced) {
                throw fencedOut(ctx, e);
            }
            settlement.pause(ctx, e);
            Thread.currentThread().interrupt();
            throw new TvProcessException(ErrorCode.PROCESS_STATE, "interrupted: process " + ctx.pid
                    + " is left paused with its locks", e).withHint(Hint.resumeOrStop(ctx.pid));
        } catch (Exception e) {
            // A builder's checked exception arrives here unwrapped; the caller gets it unchanged.
            if (!ctx.ended && !ctx.fenced) {
                if (ctx.userId) {
                    settlement.pause(ctx, e);
                } else {
                    settlement.revert(ctx, e);
                }
            }
            throw Sneaky.<RuntimeException>rethrow(e);
        } catch (Error e) {
            if (!ctx.ended && !ctx.fenced) {
                settlement.pause(ctx, e);
            }
            throw e;
        }
    }

    /** PROCESS_FENCED for a process this host dropped after {@code cause}. */
    private static TvProcessException fencedOut(ProcessContext ctx, Throwable cause) {
        return new TvProcessException(ErrorCode.PROCESS_FENCED, "process " + ctx.pid + " was fenced on this host"
                + " (another host owns it now) and was dropped here", cause);
    }

    /** A context for a persisted process that is not running, e.g. the target of a stop. */
    ProcessContext dormant(String pid) {
        ProcessRecord rec = log.active(pid);
        if (rec == null) {
            throw log.notActive(pid);
        }
        ProcessContext ctx = new ProcessContext(vault, pid, rebuild.apply(log.beginArgs(pid)), rec.userId(),
                rec.digest(), rec.parentId());
        ctx.resumeFrom(rec, log.tail(pid));
        return ctx;
    }

    /** Resumes an active process with the arguments it began with. */
    String resume(String pid) {
        settlement.settle(pid);
        ProcessRecord rec = log.active(pid);
        if (rec == null) {
            throw log.notActive(pid);
        }
        return run(rebuild.apply(log.beginArgs(pid)), pid, rec.userId(), true);
    }

    /** Asks a process running in this JVM to stop at its next checkpoint; returns its context, or null. */
    ProcessContext requestStop(String pid, boolean materialize, String by) {
        ProcessContext ctx = running.get(pid);
        if (ctx != null) {
            ctx.requestStop(materialize, by);
        }
        return ctx;
    }

    /** Marks a dormant process as taken by a stop, so no resume can start it meanwhile. */
    void claim(ProcessContext ctx) {
        if (running.putIfAbsent(ctx.pid, ctx) != null) {
            throw new TvProcessException(ErrorCode.PROCESS_STATE, "process " + ctx.pid
                    + " started running meanwhile; stop it again");
        }
    }

    void unclaim(ProcessContext ctx) {
        running.remove(ctx.pid, ctx);
        ctx.done.countDown();
    }

    boolean isRunning(String pid) {
        return running.containsKey(pid);
    }

    /** The context of process {@code pid} while it runs (or is claimed) in this JVM, or null. */
    ProcessContext running(String pid) {
        return running.get(pid);
    }

    /** The processes running (or claimed) in this JVM; a live view. */
    Collection<ProcessContext> running() {
        return running.values();
    }

    static String digest(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java 17 runtime", e);
        }
    }
}
