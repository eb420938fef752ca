package dev.tablevault.engine.process;

import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.ProcessState;
import dev.tablevault.api.TableVaultException;
import dev.tablevault.api.TvStorageException;
import dev.tablevault.engine.codec.Records.ProcessRecord;
import dev.tablevault.engine.store.Batch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * How a process that does not commit leaves off: pause (keeps its locks), revert or stop (ends it and releases
 * them), each in one batch. A pause, revert or stop whose batch cannot be written (a full disk) leaves the
 * process <em>unsettled</em>: it keeps its locks, shows as PAUSED with the error and what is still to be
 * written, and the next write call on this vault writes it first ({@link #settle}).
 *
 * <p>Thread safe: unsettled entries change only under one monitor while they are written again.
 */
final class Settlement {
    private static final Logger LOG = LoggerFactory.getLogger(Settlement.class);
    private final OpenVault vault;
    /** Unsettled processes by id; entries change under {@link #settling}. */
    private final Map<String, Unsettled> unsettled = new ConcurrentHashMap<>();
    private final Object settling = new Object();

    /**
     * A process whose pause, revert or stop could not be written: how it shows meanwhile, the failure, and
     * the write to try again (which also does what follows it: releasing the locks of an ended process).
     */
    private record Unsettled(ProcessRecord shown, RuntimeException failure, Runnable write) {
    }

    Settlement(OpenVault vault) {
        this.vault = vault;
    }

    /** Persists the process as PAUSED with its locks; the locks stay held. */
    void pause(ProcessContext ctx, Throwable cause) {
        ProcessRecord rec = ctx.record(ProcessState.PAUSED, describe(cause));
        RuntimeException unwritten = settleOrKeep(ctx, rec.error(), "the pause", "records it",
                () -> writePause(ctx, rec));
        if (unwritten != null) {
            cause.addSuppressed(unwritten);
        }
        vault.lockManager().holderChanged(ctx.pid);
    }

    private void writePause(ProcessContext ctx, ProcessRecord rec) {
        Batch b = new Batch();
        ctx.putPersistentState(b, rec);
        ctx.write(b);
        ctx.record = rec;
        ctx.persisted = true;
    }

    /** Undoes the process's staged effects and ends it REVERTED, in one batch; releases its locks. */
    void revert(ProcessContext ctx, Throwable cause) {
        String error = describe(cause);
        RuntimeException unwritten = settleOrKeep(ctx, error, "the revert", "reverts it",
                () -> writeRevert(ctx, error));
        if (unwritten != null) {
            cause.addSuppressed(unwritten);
        }
    }

    private void writeRevert(ProcessContext ctx, String error) {
        Batch b = new Batch();
        if (ctx.persisted || ctx.hasProgress()) {
            ctx.op.revert(ctx, b);
        }
        ProcessLog.end(ctx, b, ProcessState.REVERTED, error);
        ctx.write(b);
        ctx.endState = ProcessState.REVERTED;
        vault.lockManager().releaseAll(ctx.pid);
    }

    /**
     * Ends a process on a stop request by process {@code by}, reverting or materializing its partial result, in
     * one batch; releases its locks. Returns the failure that left it unsettled, or null.
     */
    RuntimeException stop(ProcessContext ctx, boolean materialize, String by) {
        return settleOrKeep(ctx, "stopped by process " + by, "the stop", "ends it",
                () -> writeStop(ctx, materialize, by));
    }

    private void writeStop(ProcessContext ctx, boolean materialize, String by) {
        Batch b = new Batch();
        stopInto(ctx, b, materialize, by);
        ctx.write(b);
        ctx.endState = materialize ? ProcessState.MATERIALIZED : ProcessState.STOPPED;
        vault.lockManager().releaseAll(ctx.pid);
    }

    /** Adds the stop of {@code ctx} (revert or partial materialize, then its end record) to a batch. */
    static void stopInto(ProcessContext ctx, Batch b, boolean materialize, String by) {
        if (materialize) {
            ctx.op.materializePartial(ctx, b);
        } else {
            ctx.op.revert(ctx, b);
        }
        ProcessLog.end(ctx, b, materialize ? ProcessState.MATERIALIZED : ProcessState.STOPPED,
                "stopped by process " + by);
    }

    /**
     * Runs {@code write} ({@code what}, for a process failed or stopped with {@code error}); when it fails (other than
     * {@code PROCESS_FENCED}, after which this host drops the process), keeps the process unsettled with its locks, PAUSED with {@code error} and what is still to be written, until
     * {@link #settle} writes it ({@code then}: what that does). Returns the failure, or null.
     */
    private RuntimeException settleOrKeep(ProcessContext ctx, String error, String what, String then,
                                          Runnable write) {
        try {
            write.run();
            return null;
        } catch (RuntimeException w) {
            if (ctx.fenced) {
                return w; // another host owns it now: nothing is owed here, and retrying would fail again
            }
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
    void settle(String pid) {
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

    /** How unsettled process {@code pid} shows, or null when it is not unsettled. */
    ProcessRecord shown(String pid) {
        Unsettled u = unsettled.get(pid);
        return u == null ? null : u.shown();
    }

    /** Calls {@code action} with each unsettled process and how it shows. */
    void forEachShown(BiConsumer<String, ProcessRecord> action) {
        unsettled.forEach((pid, u) -> action.accept(pid, u.shown()));
    }

    static String describe(Throwable t) {
        if (t instanceof ProcessContext.Described d) {
            return d.description();
        }
        return t.getClass().getName() + ": " + t.getMessage();
    }
}
