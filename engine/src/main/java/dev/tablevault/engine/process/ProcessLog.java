package dev.tablevault.engine.process;

import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.ProcessState;
import dev.tablevault.api.TvProcessException;
import dev.tablevault.engine.codec.Codec;
import dev.tablevault.engine.codec.Records.LogEntry;
import dev.tablevault.engine.codec.Records.LogKind;
import dev.tablevault.engine.codec.Records.ProcessRecord;
import dev.tablevault.engine.codec.Records.TrimRecord;
import dev.tablevault.engine.lock.LockManager;
import dev.tablevault.engine.store.Backend;
import dev.tablevault.engine.store.Batch;
import dev.tablevault.engine.store.Family;
import dev.tablevault.engine.store.Keys;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The process records and log in {@code proc}: {@code P/<pid>} active record, {@code L/<pid>/<seq>} log (0 BEGIN
 * with the arguments, 1 LOCKS, then CHECKPOINTs, then END with the final state; kept after the end for
 * inspection), {@code H/<pid>} finished record (the index that refuses reuse of an id), and
 * {@code h/<end time><pid>} for newest-first history. BEGIN, LOCKS and CHECKPOINT are written by
 * {@link ProcessContext}; END by {@link #end}. A one-step operation that neither pauses nor checkpoints writes all
 * of that in its final batch: one fsync.
 *
 * <p>Thread safe: it keeps no state of its own, only reads and writes the store.
 */
final class ProcessLog {
    private final OpenVault vault;

    ProcessLog(OpenVault vault) {
        this.vault = vault;
    }

    ProcessRecord active(String pid) {
        byte[] v = vault.store().get(Family.PROC, Keys.process(pid));
        return v == null ? null : Codec.decode(v, ProcessRecord.class, "process " + pid);
    }

    ProcessRecord finished(String pid) {
        byte[] v = vault.store().get(Family.PROC, Keys.finished(pid));
        return v == null ? null : Codec.decode(v, ProcessRecord.class, "finished process " + pid);
    }

    List<ProcessRecord> activeRecords() {
        List<ProcessRecord> out = new ArrayList<>();
        vault.store().scan(Family.PROC, Keys.prefix("P"),
                (k, v) -> out.add(Codec.decode(v, ProcessRecord.class, "process")));
        return out;
    }

    /**
     * Finished records, newest first, at most {@code limit}: the history index read backwards, the records of as
     * many entries as are still wanted read together ({@link Backend#getAll}, one round trip on PostgreSQL).
     */
    List<ProcessRecord> history(int limit) {
        List<ProcessRecord> out = new ArrayList<>();
        List<byte[]> pending = new ArrayList<>();
        vault.store().scanBackwards(Family.PROC, new byte[]{'h', 0}, (k, v) -> {
            pending.add(Keys.finished(Keys.historyPid(k)));
            if (pending.size() < limit - out.size()) {
                return true;
            }
            addFinished(pending, out);
            return out.size() < limit;
        });
        addFinished(pending, out);
        return out;
    }

    /** Adds the finished records of {@code keys} that exist to {@code out}, in order, and clears {@code keys}. */
    private void addFinished(List<byte[]> keys, List<ProcessRecord> out) {
        if (keys.isEmpty()) {
            return;
        }
        for (byte[] v : vault.store().getAll(Family.PROC, keys)) {
            if (v != null) {
                out.add(Codec.decode(v, ProcessRecord.class, "finished process"));
            }
        }
        keys.clear();
    }

    /** The arguments BEGIN recorded, or null when the log has none. */
    Object beginArgs(String pid) {
        byte[] v = vault.store().get(Family.PROC, Keys.logEntry(pid, 0));
        return v == null ? null : Codec.decode(v, LogEntry.class, "log of " + pid).payload();
    }

    /**
     * The end of a process's log, oldest first, from its last checkpoint (or its start): what a resume needs,
     * read backwards so that it costs the same however many checkpoints came before.
     */
    List<LogEntry> tail(String pid) {
        List<LogEntry> out = new ArrayList<>();
        vault.store().scanBackwards(Family.PROC, Keys.prefix("L", pid), (k, v) -> {
            LogEntry e = Codec.decode(v, LogEntry.class, "log of " + pid);
            out.add(0, e);
            return !e.is(LogKind.CHECKPOINT);
        });
        return out;
    }

    List<LogEntry> log(String pid) {
        List<LogEntry> out = new ArrayList<>();
        vault.store().scan(Family.PROC, Keys.prefix("L", pid),
                (k, v) -> out.add(Codec.decode(v, LogEntry.class, "log of " + pid)));
        return out;
    }

    /** Replaces the saved record {@code before} of an active process with {@code rec}. */
    void putRecord(ProcessRecord before, ProcessRecord rec) {
        ProcessStates.check(rec.id(), before.state(), rec.state());
        Batch b = new Batch();
        b.put(Family.PROC, Keys.process(rec.id()), Codec.encode(rec));
        vault.store().write(b);
    }

    /**
     * Adds the end of a process to a batch: END entry, history entry, and removal of its record, log and lock
     * records. Changes nothing in {@code ctx}, so a batch that failed can be built again. Refuses an end
     * {@link ProcessStates} does not allow.
     */
    static void end(ProcessContext ctx, Batch b, ProcessState state, String error) {
        ProcessStates.check(ctx.pid, ctx.savedState(), state);
        ctx.putRun(b, Batch.RunKind.END);
        Backend s = ctx.vault.store();
        if (ctx.persisted) {
            b.delete(Family.PROC, Keys.process(ctx.pid));
            for (LockManager.Held h : ctx.vault.lockManager().heldBy(ctx.pid)) {
                b.delete(Family.LOCKS, Keys.lock(h.resource(), ctx.pid));
            }
        }
        ProcessRecord fin = ctx.record(state, error);
        ctx.putBegin(b, fin);
        b.put(Family.PROC, Keys.logEntry(ctx.pid, ctx.nextSeq), Codec.encode(new LogEntry(ctx.nextSeq, LogKind.END,
                state.name(), fin.updated(), error == null ? "" : error)));
        b.put(Family.PROC, Keys.finished(ctx.pid), Codec.encode(fin));
        Retention retention = ctx.vault.processes().retention();
        long at = retention == null ? fin.updated() : retention.historyMillis(fin.updated());
        b.put(Family.PROC, Keys.historyOrder(at, ctx.pid), Retention.historyValue(ctx.nextSeq, fin.parentId()));
        if (retention != null) {
            b.onWritten(() -> retention.ended(at));
        }
    }

    /** The error for {@code pid} not being active: finished already, or unknown. */
    TvProcessException notActive(String pid) {
        ProcessRecord fin = finished(pid);
        if (fin != null) {
            return new TvProcessException(ErrorCode.PROCESS_STATE, "process " + pid + " already finished ("
                    + fin.state() + ")");
        }
        return unknown(pid);
    }

    /** NOT_FOUND for {@code pid}, saying when finished processes were trimmed (it may have been one of them). */
    TvProcessException unknown(String pid) {
        TrimRecord t = Retention.read(vault.store());
        return new TvProcessException(ErrorCode.NOT_FOUND, "unknown process id '" + pid
                + "'; list active ones with activeProcesses()" + (t == null ? "" : "; " + t.trimmed()
                + " finished processes that ended up to " + Instant.ofEpochMilli(t.trimmedBefore())
                + " were trimmed from the history, it may have been one of them"));
    }
}
