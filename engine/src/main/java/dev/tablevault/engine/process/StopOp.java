package dev.tablevault.engine.process;

import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.ProcessState;
import dev.tablevault.api.TvArgumentException;
import dev.tablevault.api.TvProcessException;
import dev.tablevault.engine.codec.Records.ProcessRecord;
import dev.tablevault.engine.codec.Records.StopArgs;
import dev.tablevault.engine.data.Names;

import java.util.List;

/**
 * {@code stopProcess}: a process running in this JVM is asked to stop at its next checkpoint and awaited;
 * any other active process (paused, or left by a crash) is reverted or materialized in the stop's own commit
 * batch. Only one OS process can own a vault, so an active process not running here has no live owner and
 * {@code force} is never needed to take it over.
 */
public final class StopOp extends Op {
    private final StopArgs args;

    public StopOp(StopArgs args) {
        super("stopProcess", args);
        Names.processId(args.target());
        this.args = args;
    }

    @Override
    protected List<LockReq> locks(ProcessContext ctx) {
        return List.of();
    }

    @Override
    protected void validate(ProcessContext ctx) {
        if (args.target().equals(ctx.pid)) {
            throw new TvArgumentException(ErrorCode.BAD_ARGUMENT, "process " + ctx.pid + " cannot stop itself");
        }
        Processes procs = ctx.vault.processes();
        if (procs.runner().isRunning(args.target())) {
            return;
        }
        ProcessRecord rec = procs.active(args.target());
        if (rec == null) {
            throw procs.notActive(args.target());
        }
        if (rec.operation().equals(name())) {
            throw new TvArgumentException(ErrorCode.BAD_ARGUMENT, "process " + args.target()
                    + " is itself a stop; resume it instead");
        }
    }

    @Override
    protected void run(ProcessContext ctx) throws InterruptedException {
        Runner runner = ctx.vault.processes().runner();
        ProcessContext live = runner.requestStop(args.target(), args.materialize(), ctx.pid);
        if (live != null) {
            if (args.materialize() && !live.op.canMaterialize()) {
                throw notMaterializable(live.op);
            }
            live.done.await();
            ProcessState end = live.endState;
            if (end != ProcessState.STOPPED && end != ProcessState.MATERIALIZED) {
                throw new TvProcessException(ErrorCode.PROCESS_STATE, "process " + args.target() + " ended " + end
                        + " before it reached a checkpoint where it could stop");
            }
            ctx.commit(b -> { });
            return;
        }
        ProcessContext target = runner.dormant(args.target());
        if (args.materialize() && !target.op.canMaterialize()) {
            throw notMaterializable(target.op);
        }
        runner.claim(target);
        try {
            target.claimRun(); // on a shared vault: its run becomes this host's, so its end may delete it
            try {
                ctx.commit(b -> Settlement.stopInto(target, b, args.materialize(), ctx.pid));
            } catch (RuntimeException e) {
                releaseRun(target, e); // the target stays paused: so must its run, or no one could claim it again
                throw e;
            }
            ctx.vault.lockManager().releaseAll(target.pid);
            ctx.vault.board().forget(target.pid);
        } finally {
            runner.unclaim(target);
        }
    }

    /** {@link ProcessContext#releaseRun}; a failure to is added to {@code cause}, which the caller throws. */
    private static void releaseRun(ProcessContext target, RuntimeException cause) {
        try {
            target.releaseRun();
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
        }
    }

    private TvArgumentException notMaterializable(Op target) {
        return new TvArgumentException(ErrorCode.BAD_ARGUMENT, "process " + args.target() + " is a " + target.name()
                + ": materialize applies to writeInstance and executeInstance only; stop it without materialize");
    }
}
