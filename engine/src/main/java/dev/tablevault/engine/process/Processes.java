package dev.tablevault.engine.process;

import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.ProcessInfo;
import dev.tablevault.api.ProcessState;
import dev.tablevault.api.TableVaultException;
import dev.tablevault.api.TvProcessException;
import dev.tablevault.api.TvStorageException;
import dev.tablevault.engine.codec.Codec;
import dev.tablevault.engine.codec.Records.LogEntry;
import dev.tablevault.engine.codec.Records.LogKind;
import dev.tablevault.engine.codec.Records.ProcessRecord;
import dev.tablevault.engine.lock.LockManager;
import dev.tablevault.engine.store.Batch;
import dev.tablevault.engine.store.Keys;
import dev.tablevault.engine.store.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Runs operations as durable processes and keeps the process records. Record layout in {@code proc}:
 * {@code P/<pid>} active record, {@code L/<pid>/<seq>} log (0 BEGIN with the arguments, 1 LOCKS, then
 * CHECKPOINTs, then END with the final state; kept after the end for inspection), {@code H/<pid>} finished
 * record (the index that refuses reuse of an id), and {@code h/<end time><pid>} for newest-first history.
 * A one-step operation that neither pauses nor checkpoints writes all of that in its final batch: one fsync.
 *
 * <p>A pause, revert or stop whose batch cannot be written (a full disk) leaves the process <em>unsettled</em>:
 * it keeps its locks, shows as PAUSED with the error and what is still to be written, and the next write call
 * on this vault writes it first.
 *
 * <p>Thread safe; operations on disjoint resources run in parallel.
 */
public final class Processes implements LockManager.Holders {
    private static final Logger LOG = LoggerFactory.getLogger(Processes.class);
    private final OpenVault vault;
    /** Rebuilds an operation from the arguments its BEGIN entry recorded (for resume and restart). */
    private final Function<Object, Op> rebuild;
    private final Map<String, ProcessContext> running = new ConcurrentHashMap<>();
    /** Unsettled processes by id; entries change under {@link #settling}. */
    private final Map<String, Unsettled> unsettled = new ConcurrentHashMap<>();
    private final Object settling = new Object();

    /**
     * A process whose pause, revert or stop could not be written: how it shows meanwhile, the failure, and
     * the write to try again (which also does what follows it: releasing the locks of an ended process).
     */
    private record Unsettled(ProcessRecord shown, RuntimeException failure, Runnable write) {
    }

    public Processes(OpenVault vault, Function<Object, Op> rebuild) {
        this.vault = vault;
        this.rebuild = rebuild;
    }

    /** Runs {@code op} as process {@code pid}, resuming it if it is active. */
    public String run(Op op, String pid, boolean userId) {
        return run(op, pid, userId, false);
    }

    /** Runs {@code op} as a sub-process of the running process {@code parent}: it shares the parent's locks. */
    public String runAsChild(Op op, String pid, boolean userId, String parent) {
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
        settle(pid);
        String digest = digest(Codec.encode(op.args()));
        ProcessContext ctx = new ProcessContext(vault, pid, op, userId, digest, parent);
        if (running.putIfAbsent(pid, ctx) != null) {
            throw new TvProcessException(ErrorCode.PROCESS_STATE, "process " + pid
                    + " is already running in this vault; wait for it, or stopProcess(\"" + pid + "\")");
        }
        try {
            // A generated id is fresh: it can be neither active nor finished, so skip the two lookups.
            ProcessRecord existing = userId || resuming ? active(pid) : null;
            if (existing == null && userId) {
                ProcessRecord fin = finished(pid);
                if (fin != null) {
                    throw new TvProcessException(ErrorCode.PROCESS_STATE, "process id " + pid + " already finished ("
                            + fin.state() + "); a finished id can never start again: use generateProcessId()");
                }
            } else if (existing != null) {
                if (!existing.operation().equals(op.name())) {
                    throw new TvProcessException(ErrorCode.PROCESS_ARGUMENTS_CHANGED, "process " + pid + " is a "
                            + existing.operation() + ", not a " + op.name() + "; resume it with resumeProcess(\""
                            + pid + "\")");
                }
                if (!existing.digest().equals(digest)) {
                    throw new TvProcessException(ErrorCode.PROCESS_ARGUMENTS_CHANGED, "process " + pid
                            + " started with different arguments (digest " + existing.digest().substring(0, 12)
                            + ", this call " + digest.substring(0, 12) + "); call it with the arguments it started"
                            + " with, resumeProcess(\"" + pid + "\"), or stopProcess it");
                }
                ctx.resumeFrom(existing, tail(pid));
                op.checkResumable(ctx);
            }
            return execute(ctx);
        } finally {
            running.remove(pid);
            ctx.done.countDown();
            // Waiters re-check: a holder that just paused is no longer running, so they fail at once.
            vault.lockManager().holderChanged(ctx.pid);
        }
    }

    private String execute(ProcessContext ctx) {
        Op op = ctx.op;
        try {
            for (Op.LockReq r : op.locks(ctx)) {
                vault.lockManager().acquire(ctx.pid, r.resource(), r.mode(), vault.options().lockTimeout());
            }
            ctx.crash("locked");
            op.validate(ctx);
            op.run(ctx);
            return ctx.pid;
        } catch (ProcessContext.StopRequested s) {
            if (ctx.ended) {
                throw s;
            }
            RuntimeException unwritten = settleOrKeep(ctx, "stopped by process " + s.by, "the stop", "ends it",
                    () -> writeStop(ctx, s.materialize, s.by));
            if (unwritten != null) {
                throw unwritten;
            }
            throw new TvProcessException(ErrorCode.PROCESS_STOPPED, "process " + ctx.pid + " was stopped by process "
                    + s.by + (s.materialize ? "; its partial result was materialized" : "; it was reverted"));
        } catch (TableVaultException e) {
            if (!ctx.ended) {
                // Code missing at resume time is a deployment problem, not bad input: keep the work, wait for
                // the code (a restart after registering it resumes). A full disk is the environment's, like an
                // external error: the caller frees space and resumes.
                if (e.code() == ErrorCode.BUILDER_NOT_FOUND && ctx.persisted
                        || e.code() == ErrorCode.DISK_FULL && ctx.userId) {
                    pause(ctx, e);
                } else {
                    revert(ctx, e);
                }
            }
            throw e;
        } catch (InterruptedException e) {
            pause(ctx, e);
            Thread.currentThread().interrupt();
            throw new TvProcessException(ErrorCode.PROCESS_STATE, "interrupted: process " + ctx.pid
                    + " is left paused with its locks; resume it or open with restart(true)", e);
        } catch (Exception e) {
            // A builder's checked exception arrives here unwrapped; the caller gets it unchanged.
            if (!ctx.ended) {
                if (ctx.userId) {
                    pause(ctx, e);
                } else {
                    revert(ctx, e);
                }
            }
            throw Sneaky.<RuntimeException>rethrow(e);
        } catch (Error e) {
            if (!ctx.ended) {
                pause(ctx, e);
            }
            throw e;
        }
    }

    /** Persists the process as PAUSED with its locks; the locks stay held. */
    private void pause(ProcessContext ctx, Throwable cause) {
        ProcessRecord rec = ctx.record(ProcessState.PAUSED, describe(cause));
        RuntimeException unwritten = settleOrKeep(ctx, rec.error(), "the pause", "records it",
                () -> writePause(ctx, rec));
        if (unwritten != null) {
            cause.addSuppressed(unwritten);
        }
        vault.lockManager().holderChanged(ctx.pid);
    }

    private void writePause(ProcessContext ctx, ProcessRecord rec) {
        try (Batch b = new Batch()) {
            ctx.putPersistentState(b, rec);
            vault.store().write(b);
            ctx.record = rec;
            ctx.persisted = true;
        }
    }

    /** Undoes the process's staged effects and ends it REVERTED, in one batch; releases its locks. */
    private void revert(ProcessContext ctx, Throwable cause) {
        String error = describe(cause);
        RuntimeException unwritten = settleOrKeep(ctx, error, "the revert", "reverts it",
                () -> writeRevert(ctx, error));
        if (unwritten != null) {
            cause.addSuppressed(unwritten);
        }
    }

    private void writeRevert(ProcessContext ctx, String error) {
        try (Batch b = new Batch()) {
            if (ctx.persisted || ctx.lastProgress != null) {
                ctx.op.revert(ctx, b);
            }
            finish(ctx, b, ProcessState.REVERTED, error);
            vault.store().write(b);
        }
        ctx.endState = ProcessState.REVERTED;
        vault.lockManager().releaseAll(ctx.pid);
    }

    /** Ends a process on a stop request, reverting or materializing its partial result, in one batch. */
    private void writeStop(ProcessContext ctx, boolean materialize, String by) {
        try (Batch b = new Batch()) {
            stopInto(ctx, b, materialize, by);
            vault.store().write(b);
        }
        ctx.endState = materialize ? ProcessState.MATERIALIZED : ProcessState.STOPPED;
        vault.lockManager().releaseAll(ctx.pid);
    }

    /**
     * Runs {@code write} ({@code what}, for a process failed or stopped with {@code error}); when it fails, keeps
     * the process unsettled with its locks, PAUSED with {@code error} and what is still to be written, until
     * {@link #settle} writes it ({@code then}: what that does). Returns the failure, or null.
     */
    private RuntimeException settleOrKeep(ProcessContext ctx, String error, String what, String then,
                                          Runnable write) {
        try {
            write.run();
            return null;
        } catch (RuntimeException w) {
            String code = w instanceof TableVaultException t ? t.code().name() : w.getClass().getSimpleName();
            ProcessRecord shown = ctx.record(ProcessState.PAUSED, error + "; " + what + " could not be written ("
                    + code + "); the vault's next write call " + then);
            unsettled.put(ctx.pid, new Unsettled(shown, w, write));
            return w;
        }
    }

    /**
     * Before a write call (by process {@code pid}): writes what unsettled processes still owe, stopping at the
     * first failure (the others would meet the same full disk), and refuses to run {@code pid} while it is
     * unsettled.
     */
    private void settle(String pid) {
        if (unsettled.isEmpty()) {
            return;
        }
        settleAll();
        Unsettled left = unsettled.get(pid);
        if (left != null) {
            throw new TvStorageException(left.failure() instanceof TableVaultException t ? t.code() : ErrorCode.IO,
                    "process " + pid + " cannot run until its last state is written, which still fails: "
                    + left.failure().getMessage(), left.failure());
        }
    }

    private void settleAll() {
        synchronized (settling) {
            for (Map.Entry<String, Unsettled> e : List.copyOf(unsettled.entrySet())) {
                try {
                    e.getValue().write().run();
                } catch (RuntimeException w) {
                    unsettled.put(e.getKey(), new Unsettled(e.getValue().shown(), w, e.getValue().write()));
                    LOG.warn("process {} is still unsettled: {}", e.getKey(), w.toString());
                    return;
                }
                unsettled.remove(e.getKey());
                vault.lockManager().holderChanged(e.getKey());
            }
        }
    }

    /** Adds the stop of {@code ctx} (revert or partial materialize, then its end record) to a batch. */
    void stopInto(ProcessContext ctx, Batch b, boolean materialize, String by) {
        if (materialize) {
            ctx.op.materializePartial(ctx, b);
        } else {
            ctx.op.revert(ctx, b);
        }
        finish(ctx, b, materialize ? ProcessState.MATERIALIZED : ProcessState.STOPPED, "stopped by process " + by);
    }

    /**
     * Adds the end of a process to a batch: history entry, and removal of its record, log and lock records.
     * Changes nothing in {@code ctx}, so a batch that failed can be built again. Refuses an end
     * {@link ProcessStates} does not allow.
     */
    void finish(ProcessContext ctx, Batch b, ProcessState state, String error) {
        ProcessStates.check(ctx.pid, ctx.savedState(), state);
        Store s = vault.store();
        if (ctx.persisted) {
            b.delete(s.proc, Keys.process(ctx.pid));
            for (LockManager.Held h : vault.lockManager().heldBy(ctx.pid)) {
                b.delete(s.locks, Keys.lock(h.resource(), ctx.pid));
            }
        }
        ProcessRecord fin = ctx.record(state, error);
        ctx.putBegin(b, fin);
        b.put(s.proc, Keys.logEntry(ctx.pid, ctx.nextSeq), Codec.encode(new LogEntry(ctx.nextSeq, LogKind.END,
                state.name(), fin.updated(), error == null ? "" : error)));
        b.put(s.proc, Keys.finished(ctx.pid), Codec.encode(fin));
        b.put(s.proc, Keys.historyOrder(fin.updated(), ctx.pid), new byte[0]);
    }

    /** A context for a persisted process that is not running, e.g. the target of a stop. */
    ProcessContext dormant(String pid) {
        ProcessRecord rec = active(pid);
        if (rec == null) {
            throw notActive(pid);
        }
        ProcessContext ctx = new ProcessContext(vault, pid, rebuild.apply(beginArgs(pid)), rec.userId(), rec.digest(),
                rec.parentId());
        ctx.resumeFrom(rec, tail(pid));
        return ctx;
    }

    /** Resumes an active process with the arguments it began with. */
    public String resume(String pid) {
        settle(pid);
        ProcessRecord rec = active(pid);
        if (rec == null) {
            throw notActive(pid);
        }
        return run(rebuild.apply(beginArgs(pid)), pid, rec.userId(), true);
    }

    /** Top-level processes a restart resumes at once; their commits share fsyncs through group commit. */
    static final int RESTART_THREADS = 8;

    /**
     * Resumes every active process, each on its own: one that fails is reported and left as its failure left
     * it. A process whose setup had not finished is reverted; one that has used its attempts stays paused.
     * Stops go first, one by one, as a stop decides the fate of its target; then sub-processes one by one, as
     * before their parents, whose builders might otherwise start them a second time; then the other processes
     * on up to {@link #RESTART_THREADS} threads, which end before this returns. A process that needs a lock
     * another one holds waits for it while that one runs, as any operation would, and fails at once while
     * that one is paused.
     */
    public List<String> restartAll() {
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        List<ProcessRecord> one = new ArrayList<>();
        List<ProcessRecord> many = new ArrayList<>();
        for (ProcessRecord r : activeRecords()) {
            (r.operation().equals("stopProcess") || r.parentId() != null ? one : many).add(r);
        }
        one.sort(java.util.Comparator.comparing(r -> !r.operation().equals("stopProcess")));
        for (ProcessRecord r : one) {
            restartOne(r.id(), failures);
        }
        if (many.size() <= 1) {
            many.forEach(r -> restartOne(r.id(), failures));
            return failures;
        }
        AtomicInteger next = new AtomicInteger();
        List<Thread> threads = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(RESTART_THREADS, many.size()), r -> {
            Thread t = new Thread(r, restartThreadName(vault.dir()));
            t.setDaemon(true);
            threads.add(t);
            return t;
        });
        List<Future<?>> workers = new ArrayList<>();
        try {
            for (int i = 0; i < Math.min(RESTART_THREADS, many.size()); i++) {
                workers.add(pool.submit(() -> {
                    for (int k = next.getAndIncrement(); k < many.size(); k = next.getAndIncrement()) {
                        restartOne(many.get(k).id(), failures);
                    }
                }));
            }
            for (Future<?> w : workers) {
                w.get();
            }
        } catch (ExecutionException e) {
            // restartOne reports every throwable as a failure, so only one thrown while reporting arrives here.
            throw Sneaky.<RuntimeException>rethrow(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TvProcessException(ErrorCode.PROCESS_STATE, "interrupted while restarting the vault's"
                    + " processes; those not yet resumed stay active: open it again with restart(true)", e);
        } finally {
            pool.shutdownNow();
            joinQuietly(threads);
        }
        return failures;
    }

    /** The name of the threads restarting the vault at {@code dir}. */
    static String restartThreadName(java.nio.file.Path dir) {
        return "tablevault-restart " + dir;
    }

    /**
     * Waits until the restart threads have ended (a pool counts as terminated a little before its threads do),
     * so that none outlives the restart; an interrupt only cuts it short.
     */
    private static void joinQuietly(List<Thread> threads) {
        try {
            for (Thread t : List.copyOf(threads)) {
                t.join(TimeUnit.MINUTES.toMillis(1));
                if (t.isAlive()) {
                    LOG.warn("restart thread {} still running after a minute", t.getName());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Restarts one active process; any failure, {@code Error}s included, is added to {@code failures} and logged. */
    private void restartOne(String pid, List<String> failures) {
        ProcessRecord rec = active(pid);
        if (rec == null) {
            return;
        }
        try {
            ProcessContext probe = dormant(pid);
            if (!rec.setupDone()) {
                try (Batch b = new Batch()) {
                    probe.op.revert(probe, b);
                    finish(probe, b, ProcessState.REVERTED, "restart: its setup had not finished");
                    vault.store().write(b);
                }
                vault.lockManager().releaseAll(pid);
            } else if (rec.attempts() >= vault.options().maxRestartAttempts()) {
                String why = "restart gave up after " + rec.attempts() + " attempts; fix the cause, then"
                        + " resumeProcess(\"" + pid + "\") or stopProcess it";
                if (rec.state() != ProcessState.PAUSED || !why.equals(rec.error())) {
                    putRecord(rec, rec.with(ProcessState.PAUSED, why, vault.clock().millis()));
                }
                failures.add(pid + ": " + why);
            } else {
                putRecord(rec, rec.attempt(vault.clock().millis(), ProcessHandle.current().pid()));
                resume(pid);
            }
        } catch (Throwable e) {
            // Any throwable: an Error or a checked exception from one process's builder (the process paused on
            // it) must not end the open nor the other processes' restart; its attempt is already counted.
            LOG.warn("restart could not finish process {}: {}", pid, e.toString());
            failures.add(pid + ": " + describe(e));
        }
    }

    /** Replaces the saved record {@code before} of an active process with {@code rec}. */
    private void putRecord(ProcessRecord before, ProcessRecord rec) {
        ProcessStates.check(rec.id(), before.state(), rec.state());
        try (Batch b = new Batch()) {
            b.put(vault.store().proc, Keys.process(rec.id()), Codec.encode(rec));
            vault.store().write(b);
        }
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

    public ProcessRecord active(String pid) {
        byte[] v = vault.store().get(vault.store().proc, Keys.process(pid));
        return v == null ? null : Codec.decode(v, ProcessRecord.class, "process " + pid);
    }

    public ProcessRecord finished(String pid) {
        byte[] v = vault.store().get(vault.store().proc, Keys.finished(pid));
        return v == null ? null : Codec.decode(v, ProcessRecord.class, "finished process " + pid);
    }

    public List<ProcessRecord> activeRecords() {
        List<ProcessRecord> out = new ArrayList<>();
        vault.store().scan(vault.store().proc, Keys.prefix("P"),
                (k, v) -> out.add(Codec.decode(v, ProcessRecord.class, "process")));
        return out;
    }

    /** The arguments BEGIN recorded, or null when the log has none. */
    private Object beginArgs(String pid) {
        byte[] v = vault.store().get(vault.store().proc, Keys.logEntry(pid, 0));
        return v == null ? null : Codec.decode(v, LogEntry.class, "log of " + pid).payload();
    }

    /**
     * The end of a process's log, oldest first, from its last checkpoint (or its start): what a resume needs,
     * read backwards so that it costs the same however many checkpoints came before.
     */
    List<LogEntry> tail(String pid) {
        List<LogEntry> out = new ArrayList<>();
        vault.store().scanBackwards(vault.store().proc, Keys.prefix("L", pid), (k, v) -> {
            LogEntry e = Codec.decode(v, LogEntry.class, "log of " + pid);
            out.add(0, e);
            return !e.is(LogKind.CHECKPOINT);
        });
        return out;
    }

    public List<LogEntry> log(String pid) {
        List<LogEntry> out = new ArrayList<>();
        vault.store().scan(vault.store().proc, Keys.prefix("L", pid),
                (k, v) -> out.add(Codec.decode(v, LogEntry.class, "log of " + pid)));
        return out;
    }

    public Map<String, ProcessInfo> activeInfos() {
        Map<String, ProcessInfo> out = new LinkedHashMap<>();
        for (ProcessRecord r : activeRecords()) {
            out.put(r.id(), info(r));
        }
        unsettled.forEach((pid, u) -> out.put(pid, info(u.shown())));
        for (ProcessContext c : running.values()) {
            if (!c.ended) {
                out.put(c.pid, info(c.record(ProcessState.RUNNING, null)));
            }
        }
        return out;
    }

    public List<ProcessInfo> history(int limit) {
        List<ProcessInfo> out = new ArrayList<>();
        vault.store().scanBackwards(vault.store().proc, new byte[]{'h', 0}, (k, v) -> {
            String pid = new String(k, 10, k.length - 10, java.nio.charset.StandardCharsets.UTF_8);
            ProcessRecord r = finished(pid);
            if (r != null) {
                out.add(info(r));
            }
            return out.size() < limit;
        });
        return out;
    }

    public ProcessInfo info(String pid) {
        ProcessContext c = running.get(pid);
        if (c != null && !c.ended) {
            return info(c.record(ProcessState.RUNNING, null));
        }
        Unsettled u = unsettled.get(pid);
        ProcessRecord r = u != null ? u.shown() : active(pid);
        if (r == null) {
            r = finished(pid);
        }
        if (r == null) {
            throw new TvProcessException(ErrorCode.NOT_FOUND, "unknown process id '" + pid
                    + "'; list active ones with activeProcesses()");
        }
        return info(r);
    }

    static ProcessInfo info(ProcessRecord r) {
        return new ProcessInfo(r.id(), r.operation(), r.state(), r.author(), r.parentId(),
                Instant.ofEpochMilli(r.started()), Instant.ofEpochMilli(r.updated()), r.error(), r.stepsDone(),
                r.attempts(), r.digest());
    }

    TvProcessException notActive(String pid) {
        ProcessRecord fin = finished(pid);
        if (fin != null) {
            return new TvProcessException(ErrorCode.PROCESS_STATE, "process " + pid + " already finished ("
                    + fin.state() + ")");
        }
        return new TvProcessException(ErrorCode.NOT_FOUND, "unknown process id '" + pid
                + "'; list active ones with activeProcesses()");
    }

    @Override
    public LockManager.Holder describe(String processId) {
        ProcessContext c = running.get(processId);
        if (c != null) {
            return new LockManager.Holder(ProcessState.RUNNING, null, true);
        }
        Unsettled u = unsettled.get(processId);
        ProcessRecord r = u != null ? u.shown() : active(processId);
        return r == null ? new LockManager.Holder(ProcessState.REVERTED, null, false)
                : new LockManager.Holder(r.state(), r.error(), false);
    }

    @Override
    public boolean shares(String holder, String requester) {
        String p = requester;
        for (int depth = 0; p != null && depth < 64; depth++) {
            if (p.equals(holder)) {
                return true;
            }
            ProcessContext c = running.get(p);
            p = c == null ? null : c.parentId();
        }
        return false;
    }

    static String describe(Throwable t) {
        return t.getClass().getName() + ": " + t.getMessage();
    }

    static String digest(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java 17 runtime", e);
        }
    }
}
