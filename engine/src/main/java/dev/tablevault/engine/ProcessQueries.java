package dev.tablevault.engine;

import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.LockInfo;
import dev.tablevault.api.LogEntryInfo;
import dev.tablevault.api.ProcessInfo;
import dev.tablevault.api.TvArgumentException;
import dev.tablevault.api.VaultOptions;
import dev.tablevault.engine.codec.Codec;
import dev.tablevault.engine.codec.Records.LockRecord;
import dev.tablevault.engine.codec.Records.ProcessRecord;
import dev.tablevault.engine.data.Names;
import dev.tablevault.engine.lock.LockManager;
import dev.tablevault.engine.lock.LockTable;
import dev.tablevault.engine.process.Processes;
import dev.tablevault.engine.store.Backend;
import dev.tablevault.engine.store.Family;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@link dev.tablevault.api.Vault} queries about processes and locks: active, finished, their logs, and the
 * locks held. Each checks its arguments first, then reads under the vault's {@link Gate}.
 */
final class ProcessQueries {
    private final Backend store;
    private final VaultOptions options;
    private final LockTable locks;
    private final Processes processes;
    private final Gate gate;

    ProcessQueries(Backend store, VaultOptions options, LockTable locks, Processes processes, Gate gate) {
        this.store = store;
        this.options = options;
        this.locks = locks;
        this.processes = processes;
        this.gate = gate;
    }

    Map<String, ProcessInfo> activeProcesses() {
        return gate.guarded(processes::activeInfos);
    }

    /** See {@link Backend#runs()}. */
    Map<String, Backend.Run> runs() {
        return gate.guarded(store::runs);
    }

    List<ProcessInfo> processHistory(int limit) {
        if (limit < 1) {
            throw new TvArgumentException(ErrorCode.BAD_ARGUMENT, "history limit must be >= 1, got " + limit);
        }
        return gate.guarded(() -> processes.history(limit));
    }

    ProcessInfo process(String processId) {
        Names.processId(processId);
        return gate.guarded(() -> processes.info(processId));
    }

    List<LogEntryInfo> processLog(String processId) {
        Names.processId(processId);
        return gate.guarded(() -> {
            processes.info(processId);
            return processes.log(processId).stream().map(e -> new LogEntryInfo(e.seq(), e.kind(), e.step(),
                    Instant.ofEpochMilli(e.time()), String.valueOf(e.payload()))).toList();
        });
    }

    boolean isProcessComplete(String processId) {
        Names.processId(processId);
        return gate.guarded(() -> processes.finished(processId) != null);
    }

    /**
     * The locks held: on a read-only vault from the durable lock records, otherwise from the lock manager's
     * in-memory table.
     */
    List<LockInfo> locks() {
        return gate.guarded(() -> {
            List<LockInfo> out = new ArrayList<>();
            if (options.readOnly()) {
                store.scan(Family.LOCKS, new byte[0], (k, v) -> {
                    LockRecord lr = Codec.decode(v, LockRecord.class, "lock");
                    ProcessRecord pr = processes.active(lr.processId());
                    out.add(new LockInfo(lr.resource(), lr.mode(), lr.processId(), pr == null ? null : pr.state(),
                            pr == null ? null : pr.runnerPid()));
                    return true;
                });
            } else {
                for (LockManager.Held h : locks.all()) {
                    LockManager.Holder holder = processes.describe(h.processId());
                    out.add(new LockInfo(h.resource(), h.mode(), h.processId(), holder.state(), holder.runnerPid()));
                }
            }
            return out;
        });
    }
}
