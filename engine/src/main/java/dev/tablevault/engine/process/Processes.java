package dev.tablevault.engine.process;

import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.ProcessInfo;
import dev.tablevault.api.ProcessState;
import dev.tablevault.api.ProcessStatus;
import dev.tablevault.api.TvProcessException;
import dev.tablevault.engine.codec.Records.LogEntry;
import dev.tablevault.engine.codec.Records.ProcessRecord;
import dev.tablevault.engine.lock.LockManager;
import dev.tablevault.engine.runner.RunnerId;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The vault's processes as the front and the lock manager see them: runs operations as durable processes
 * ({@link Runner}), restarts what a previous owner left ({@link Restart}), and answers what a process is now,
 * merging its saved record ({@link ProcessLog}) with what only this JVM knows: that it runs, or that its pause,
 * revert or stop is still unwritten ({@link Settlement}).
 *
 * <p>Thread safe; operations on disjoint resources run in parallel.
 */
public final class Processes implements LockManager.Holders {
    private final ProcessLog log;
    private final Settlement settlement;
    private final Runner runner;
    private final Restart restart;
    private final OpenVault vault;
    private final Function<Object, Op> rebuild;
    /** The owner's trimming of finished processes; null on a read-only vault. */
    private final Retention retention;

    /** {@code rebuild} makes an operation from the arguments its BEGIN entry recorded (resume and restart). */
    public Processes(OpenVault vault, Function<Object, Op> rebuild) {
        this.vault = vault;
        this.rebuild = rebuild;
        this.log = new ProcessLog(vault);
        this.settlement = new Settlement(vault);
        this.runner = new Runner(vault, rebuild, log, settlement);
        this.restart = new Restart(vault, log, runner);
        this.retention = vault.options().readOnly() ? null : new Retention(vault, log, runner, settlement);
    }

    /** The owner's retention of finished processes, or null on a read-only vault. */
    Retention retention() {
        return retention;
    }

    /** Runs {@code op} as process {@code pid}, resuming it if it is active. */
    public String run(Op op, String pid, boolean userId) {
        return runner.run(op, pid, userId);
    }

    /** Runs {@code op} as a sub-process of the running process {@code parent}: it shares the parent's locks. */
    public String runAsChild(Op op, String pid, boolean userId, String parent) {
        return runner.runAsChild(op, pid, userId, parent);
    }

    /** Resumes an active process with the arguments it began with. */
    public String resume(String pid) {
        return runner.resume(pid);
    }

    /**
     * Adopts the orphaned run of {@code pid} on this host ({@link Adoption}): unless it is no longer active, or
     * needs builder code this vault's options lack, restarts it as {@code restart(true)} would (claim, then
     * resume, revert or give up); its failure is logged there.
     */
    public Adoption.Outcome adopt(String pid) {
        if (log.active(pid) == null) {
            return Adoption.Outcome.GONE;
        }
        ProcessContext probe = runner.dormant(pid);
        if (probe.op.missingCode(probe) != null) {
            return Adoption.Outcome.LACKS_CODE;
        }
        restart.restartOne(pid, new ArrayList<>());
        return Adoption.Outcome.ADOPTED;
    }

    /** Resumes every active process (see {@link Restart#restartAll}); returns the failures, one line each. */
    public List<String> restartAll() {
        return restart.restartAll();
    }

    /** The runner, for {@link StopOp}. */
    Runner runner() {
        return runner;
    }

    public ProcessRecord active(String pid) {
        return log.active(pid);
    }

    public ProcessRecord finished(String pid) {
        return log.finished(pid);
    }

    public List<ProcessRecord> activeRecords() {
        return log.activeRecords();
    }

    /**
     * What active process {@code pid} works on, as its BEGIN arguments say ({@link Op#target}); null when it shows
     * nothing or has no BEGIN. Throws {@code CORRUPTION} for arguments that cannot be read.
     */
    public Op.Target target(String pid) {
        Object args = log.beginArgs(pid);
        return args == null ? null : rebuild.apply(args).target();
    }

    public List<LogEntry> log(String pid) {
        return log.log(pid);
    }

    TvProcessException notActive(String pid) {
        return log.notActive(pid);
    }

    public Map<String, ProcessInfo> activeInfos() {
        // Taken before the records are read: a process that ends meanwhile was running, not crashed.
        Set<String> runningBefore = runner.running().stream().map(c -> c.pid).collect(Collectors.toSet());
        Map<String, ProcessInfo> out = new LinkedHashMap<>();
        for (ProcessRecord r : log.activeRecords()) {
            out.put(r.id(), info(r, runnerAlive(r, runningBefore)));
        }
        settlement.forEachShown((pid, shown) -> out.put(pid, info(shown, runnerAlive(shown, Set.of()))));
        for (ProcessContext c : runner.running()) {
            if (!c.ended) {
                out.put(c.pid, info(c.record(ProcessState.RUNNING, null), c.runnerAlive()));
            }
        }
        return out;
    }

    public List<ProcessInfo> history(int limit) {
        return log.history(limit).stream().map(r -> info(r, false)).toList();
    }

    public ProcessInfo info(String pid) {
        ProcessContext c = runner.running(pid);
        if (c != null && !c.ended) {
            return info(c.record(ProcessState.RUNNING, null), c.runnerAlive());
        }
        ProcessRecord r = settlement.shown(pid);
        if (r == null) {
            r = log.active(pid);
        }
        if (r == null) {
            r = log.finished(pid);
        }
        if (r == null) {
            throw log.unknown(pid);
        }
        return info(r, runnerAlive(r, Set.of()));
    }

    /**
     * Whether the runner that {@code r} names is alive. A vault open for writing is the owner, and every process
     * runs through the owner's runner (one whose builder code runs in another OS process too): a process it does
     * not run ({@code runningBefore} or now) was left by an earlier owner, or its runner's connection ended.
     * Anywhere else the OS answers.
     */
    private boolean runnerAlive(ProcessRecord r, Set<String> runningBefore) {
        if (!vault.options().readOnly()) {
            return runningBefore.contains(r.id()) || runner.isRunning(r.id());
        }
        return RunnerId.of(r).isAlive();
    }

    /** {@code r} as the API shows it; a finished process has no runner. */
    static ProcessInfo info(ProcessRecord r, boolean runnerAlive) {
        boolean active = !r.state().isFinal();
        return new ProcessInfo(r.id(), r.operation(), r.state(), r.author(), r.parentId(),
                Instant.ofEpochMilli(r.started()), Instant.ofEpochMilli(r.updated()), r.error(), r.stepsDone(),
                r.attempts(), r.digest(), active ? r.runnerPid() : null, active ? RunnerId.of(r).start() : null,
                ProcessStatus.of(r.state(), runnerAlive));
    }

    @Override
    public LockManager.Holder describe(String processId) {
        ProcessContext c = runner.running(processId);
        if (c != null) {
            return new LockManager.Holder(ProcessState.RUNNING, null, true, c.runner().pid());
        }
        ProcessRecord r = settlement.shown(processId);
        if (r == null) {
            r = log.active(processId);
        }
        return r == null ? new LockManager.Holder(ProcessState.REVERTED, null, false, null)
                : new LockManager.Holder(r.state(), r.error(), false, r.runnerPid());
    }

    @Override
    public boolean shares(String holder, String requester) {
        String p = requester;
        for (int depth = 0; p != null && depth < 64; depth++) {
            if (p.equals(holder)) {
                return true;
            }
            ProcessContext c = runner.running(p);
            p = c == null ? null : c.parentId();
        }
        return false;
    }
}
