package dev.tablevault.engine.process;

import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.ProcessState;
import dev.tablevault.api.TableVaultException;
import dev.tablevault.api.TvArgumentException;
import dev.tablevault.api.TvProcessException;
import dev.tablevault.engine.board.Board;
import dev.tablevault.engine.codec.Codec;
import dev.tablevault.engine.codec.Records.LockRecord;
import dev.tablevault.engine.codec.Records.LogEntry;
import dev.tablevault.engine.codec.Records.LogKind;
import dev.tablevault.engine.codec.Records.ProcessRecord;
import dev.tablevault.engine.data.Catalog;
import dev.tablevault.engine.lock.LockManager;
import dev.tablevault.engine.runner.RunnerId;
import dev.tablevault.engine.store.Batch;
import dev.tablevault.engine.store.Chunks;
import dev.tablevault.engine.store.Family;
import dev.tablevault.engine.store.Keys;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;

/**
 * The state of one process while a thread runs it: its persisted record (null until something forced it to
 * disk), its log position and its last checkpoint. Used by the one thread running the process, except
 * {@link #requestStop}, which another thread may call.
 */
public final class ProcessContext {
    /** Thrown at a checkpoint when a stop was requested; handled by the runner, never seen by callers. */
    public static final class StopRequested extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final boolean materialize;
        final String by;

        StopRequested(boolean materialize, String by) {
            super("stop requested by " + by, null, false, false);
            this.materialize = materialize;
            this.by = by;
        }
    }

    /**
     * Thrown where an execution meets the OS process running its builder code gone (its connection to the owner
     * ended): the process stops as if that process had crashed, with nothing more written (no checkpoint, no
     * pause, no revert); it stays active with its locks until resumed or stopped.
     */
    public static final class RunnerGone extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public RunnerGone(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * A failure that stands for another one (builder code's, thrown in another OS process): a pause or revert
     * records its {@link #description()}, the original's {@code Class: message}, instead of its own.
     */
    public interface Described {
        String description();
    }

    public final OpenVault vault;
    public final String pid;
    final Op op;
    final boolean userId;
    final String digest;
    public final long started;
    /** The OS process running it, recorded with every state this context saves. */
    private RunnerId runner = RunnerId.current();
    /** Set when its runner (a caller's OS process) went away mid-run: nothing was settled. */
    boolean runnerGone;
    ProcessRecord record;
    boolean persisted;
    private boolean setupDone;
    boolean ended;
    long nextSeq;
    private Object lastProgress;
    private volatile StopRequested stop;
    final CountDownLatch done = new CountDownLatch(1);
    volatile ProcessState endState;
    /** Where this process shows its progress on the live board; set by the runner while it runs. */
    private Board.Live live = Board.Live.NONE;

    /** The process this one runs inside of (a builder's sub-process), or null. */
    private final String parent;

    /**
     * On a backend with shared owners, the fence its batches require once its run exists: 1 from its start, the
     * claimed one on a resume ({@link #claimRun}); 0 on a backend without, or before a resumed run is claimed.
     */
    long fence;
    /**
     * Set once a commit failed {@code PROCESS_FENCED} (another host owns the process now, or this host lost its
     * lease) or stayed {@code COMMIT_UNKNOWN} after its read-back ({@link CommitReadBack}): this host drops it
     * without pausing or reverting it, and commits nothing more for it.
     */
    volatile boolean fenced;
    /** Set once this new process's run began ({@link #beginRun}) on a backend with shared owners. */
    private boolean begun;
    /** The lock records its durable batches wrote ({@link #putPersistentState}); a resume starts empty. */
    private final Set<LockManager.Held> savedLocks = ConcurrentHashMap.newKeySet();

    /** Cleanups waiting for the batch being built to become durable. */
    private final List<Runnable> onDurable = new ArrayList<>();

    ProcessContext(OpenVault vault, String pid, Op op, boolean userId, String digest, String parent) {
        this.parent = parent;
        this.vault = vault;
        this.pid = pid;
        this.op = op;
        this.userId = userId;
        this.digest = digest;
        this.started = vault.clock().millis();
        this.setupDone = !op.stagesInSetup();
        this.fence = vault.store().sharedOwners() ? 1 : 0;
    }

    /** True while the OS process running it (this JVM, or the caller whose code it runs) is alive. */
    boolean runnerAlive() {
        return runner.isAlive();
    }

    /** The OS process running it now. */
    RunnerId runner() {
        return runner;
    }

    /** Records {@code who} as the runner from the next save on (an execution whose code runs in its caller). */
    public void runBy(RunnerId who) {
        runner = who;
        live.runner(who);
    }

    /** Continues a persisted process: its record, log position and last checkpoint. */
    void resumeFrom(ProcessRecord existing, List<LogEntry> log) {
        record = existing;
        persisted = true;
        fence = 0;
        setupDone = existing.setupDone();
        for (LogEntry e : log) {
            nextSeq = e.seq() + 1;
            if (e.is(LogKind.CHECKPOINT)) {
                lastProgress = e.payload();
            }
        }
    }

    /**
     * Claims this persisted process's run for this host where the backend has shared owners (a new fence), before
     * it is resumed or ended here; see {@link dev.tablevault.engine.store.Backend#claimRun}.
     */
    void claimRun() {
        if (vault.store().sharedOwners()) {
            fence = vault.store().claimRun(pid);
        }
    }

    /**
     * Begins this new process before its first lock ({@link dev.tablevault.engine.lock.LockTable#begin}): where
     * locks are rows, its run row, which its batches then fence with fence 1.
     */
    void beginRun() {
        vault.lockManager().begin(pid, parent);
        begun = vault.store().sharedOwners();
    }

    /**
     * Gives back the run {@link #claimRun claimed} for an ending that then failed (a stop whose commit did not
     * happen): PAUSED with no owner, as before the claim, so that the next resume or stop, here or on another host,
     * can claim it. Nothing to do on a backend without shared owners.
     */
    void releaseRun() {
        if (vault.store().sharedOwners()) {
            Batch b = new Batch();
            b.pauseRun(pid, fence);
            vault.store().write(b);
        }
    }

    /**
     * Writes {@code batch} as a batch of this process, settling a lost acknowledgement by reading back
     * ({@link CommitReadBack}): refused once it was fenced; a {@code PROCESS_FENCED} failure, or a
     * {@code COMMIT_UNKNOWN} the read-back could not settle, marks it fenced.
     */
    void write(Batch batch) {
        if (fenced) {
            throw new TvProcessException(ErrorCode.PROCESS_FENCED, "process " + pid + " was fenced on this host"
                    + " (another host owns it now); nothing more of it is written here");
        }
        long max = vault.store().maxBatchBytes();
        long bytes = max == Long.MAX_VALUE ? 0 : batch.bytes();
        if (bytes > max) {
            throw new TvArgumentException(ErrorCode.BAD_ARGUMENT, "process " + pid + " (" + op.name() + ") would"
                    + " commit " + bytes + " bytes in one batch, above the bound of " + max + " bytes per commit on "
                    + vault.store().location() + "; nothing of it was written. Checkpoints are cut at half the bound,"
                    + " so the smallest part this step writes at once (one row's values, or a chunk of "
                    + Chunks.ROWS + " rows of a column) is too large: make those values"
                    + " smaller or keep them as files (an ARTIFACT column)");
        }
        try {
            CommitReadBack.write(vault.store(), batch, pid);
        } catch (TableVaultException e) {
            if (e.code() == ErrorCode.PROCESS_FENCED || e.code() == ErrorCode.COMMIT_UNKNOWN) {
                fenced = true;
            }
            throw e;
        }
    }

    /** The parent process: the one given at the start, or the persisted one of a resumed process. */
    String parentId() {
        return record != null && record.parentId() != null ? record.parentId() : parent;
    }

    public Catalog catalog() {
        return new Catalog(vault.store(), vault.store());
    }

    /**
     * The bytes a checkpoint's changes stay under: half the backend's {@linkplain
     * dev.tablevault.engine.store.Backend#maxBatchBytes() bound}, leaving room for what a checkpoint adds to its
     * rows (chunks rewritten whole, the process record and log entry); {@link Long#MAX_VALUE} without a bound.
     */
    public long checkpointBytes() {
        long max = vault.store().maxBatchBytes();
        return max == Long.MAX_VALUE ? max : max / 2;
    }

    /** The board handle of this process: report progress through it (no I/O, safe on the hot path). */
    public Board.Live live() {
        return live;
    }

    void live(Board.Live value) {
        live = value;
    }

    public void crash(String step) {
        CrashPoints.hit(op.name() + "." + step);
    }

    /** The progress of the last checkpoint, or null before the first. */
    public <T> T lastProgress(Class<T> type) {
        return type.cast(lastProgress);
    }

    boolean hasProgress() {
        return lastProgress != null;
    }

    /** False while a staging operation ({@link Op#stagesInSetup}) is still in setup. */
    public boolean setupDone() {
        return setupDone;
    }

    /** Marks setup as finished (or not) in the record the next checkpoint saves. */
    public void setupDone(boolean value) {
        setupDone = value;
    }

    /** True once a stop was requested; a long loop checks this to end at its next checkpoint. */
    public boolean stopRequested() {
        return stop != null;
    }

    void requestStop(boolean materialize, String by) {
        stop = new StopRequested(materialize, by);
    }

    public void checkStop() {
        StopRequested s = stop;
        if (s != null) {
            throw s;
        }
    }

    /** The record as it would be persisted now with this state and error. */
    ProcessRecord record(ProcessState state, String error) {
        long now = vault.clock().millis();
        if (record == null) {
            return new ProcessRecord(pid, op.name(), state, vault.author(), parent, started, now, error, 0, 0, digest,
                    runner.pid(), runner.startMillis(), userId, setupDone);
        }
        return record.with(state, error, now).progress(record.stepsDone(), setupDone, now)
                .ranBy(runner.pid(), runner.startMillis());
    }

    /**
     * Commits one checkpoint: the caller's changes in {@code batch}, the progress entry and the process record
     * (with BEGIN, LOCKS and lock records the first time), in one atomic write.
     */
    public void checkpoint(Batch batch, String step, Object progress, ProcessState state) {
        boolean written = false;
        try {
            ProcessRecord rec = record(state, null);
            rec = rec.progress(rec.stepsDone() + 1, setupDone, rec.updated());
            putPersistentState(batch, rec);
            batch.put(Family.PROC, Keys.logEntry(pid, nextSeq),
                    Codec.encode(new LogEntry(nextSeq, LogKind.CHECKPOINT, step, rec.updated(), progress)));
            write(batch);
            written = true;
            nextSeq++;
            record = rec;
            persisted = true;
            lastProgress = progress;
            live.state(rec.state().name());
        } finally {
            afterWrite(written);
        }
    }

    /**
     * Runs {@code cleanup} (removing files the batch being built makes unreachable) once that batch is durable;
     * dropped if it never is. A file must never go before the record that points at it.
     */
    public void onDurable(Runnable cleanup) {
        onDurable.add(cleanup);
    }

    private void afterWrite(boolean written) {
        List<Runnable> todo = new ArrayList<>(onDurable);
        onDurable.clear();
        if (written) {
            todo.forEach(Runnable::run);
        }
    }

    /** The state last saved for this process, or null when nothing has been saved yet. */
    ProcessState savedState() {
        return record == null ? null : record.state();
    }

    /**
     * Adds the process record and the lock records not yet written (locks are only added or upgraded while a
     * process runs, so a checkpoint rewrites none), and on first persistence BEGIN and LOCKS; refuses a state
     * change {@link ProcessStates} does not allow.
     */
    void putPersistentState(Batch batch, ProcessRecord rec) {
        ProcessStates.check(pid, savedState(), rec.state());
        putRun(batch, rec.state() == ProcessState.PAUSED ? Batch.RunKind.PAUSE : null);
        batch.put(Family.PROC, Keys.process(pid), Codec.encode(rec));
        List<LockManager.Held> fresh = new ArrayList<>();
        for (LockManager.Held h : vault.lockManager().heldBy(pid)) {
            if (!savedLocks.contains(h)) {
                batch.put(Family.LOCKS, Keys.lock(h.resource(), pid),
                        Codec.encode(new LockRecord(h.resource(), h.mode(), pid)));
                fresh.add(h);
            }
        }
        if (!fresh.isEmpty()) {
            batch.onWritten(() -> savedLocks.addAll(fresh));
        }
        putBegin(batch, rec);
    }

    /**
     * Adds the fence the batch requires on a backend with shared owners (every batch of a process runs under its
     * run, begun before its first lock or claimed on a resume) and what it does to the run row: a pause
     * ({@code change} PAUSE) pauses it, an end (END) ends it, deleting its lock rows.
     */
    void putRun(Batch batch, Batch.RunKind change) {
        if (!vault.store().sharedOwners()) {
            return;
        }
        if (!persisted && !begun) {
            throw new IllegalStateException("process " + pid + " writes a batch before its run began");
        }
        batch.requireFence(pid, fence);
        if (change == Batch.RunKind.PAUSE) {
            batch.pauseRun(pid, fence);
        } else if (change == Batch.RunKind.END) {
            batch.endRun(pid, fence);
        }
    }

    /**
     * Adds BEGIN (the arguments) and LOCKS unless the log already has them: until a batch of this process has
     * been written, every batch it builds (a failed one built again included) starts its log.
     */
    void putBegin(Batch batch, ProcessRecord rec) {
        if (persisted) {
            return;
        }
        List<LockRecord> held = new ArrayList<>();
        for (LockManager.Held h : vault.lockManager().heldBy(pid)) {
            held.add(new LockRecord(h.resource(), h.mode(), pid));
        }
        batch.put(Family.PROC, Keys.logEntry(pid, 0),
                Codec.encode(new LogEntry(0, LogKind.BEGIN, op.name(), rec.started(), op.args())));
        batch.put(Family.PROC, Keys.logEntry(pid, 1),
                Codec.encode(new LogEntry(1, LogKind.LOCKS, op.name(), rec.updated(), held)));
        nextSeq = 2;
    }

    /**
     * The final step: the caller's changes, the history entry and the removal of the process record, its
     * log and its lock records, in one atomic write; then the in-memory locks are released.
     */
    public void commit(Consumer<Batch> changes) {
        crash("commit");
        boolean written = false;
        Batch b = new Batch();
        try {
            changes.accept(b);
            ProcessLog.end(this, b, ProcessState.COMMITTED, null);
            write(b);
            written = true;
        } finally {
            afterWrite(written);
        }
        ended = true;
        endState = ProcessState.COMMITTED;
        vault.lockManager().releaseAll(pid);
        crash("committed");
    }
}
