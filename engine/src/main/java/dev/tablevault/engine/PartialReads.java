package dev.tablevault.engine;

import dev.tablevault.api.InstanceProgress;
import dev.tablevault.engine.codec.Records.ExecProgress;
import dev.tablevault.engine.codec.Records.ExecuteArgs;
import dev.tablevault.engine.codec.Records.InstanceRecord;
import dev.tablevault.engine.codec.Records.WriteInstanceArgs;
import dev.tablevault.engine.codec.Records.WriteProgress;
import dev.tablevault.engine.exec.PartialExecution;
import dev.tablevault.engine.process.BuildingProcess;
import dev.tablevault.engine.store.Backend;
import dev.tablevault.engine.store.ReadView;

import java.util.List;
import java.util.Optional;

/**
 * Partial reads: a temporary instance that an active process is building reads as that process's last checkpoint
 * left it, from the snapshot the checkpoint is read from (the rule is on {@code Vault.dataframe}). Stateless.
 */
final class PartialReads {
    private PartialReads() {
    }

    /** The record a read shows, and, for a partial read, where the building process is (else null). */
    record Shown(InstanceRecord record, InstanceProgress progress) {
    }

    /**
     * What a read of {@code r} through {@code view} (of {@code store}) shows. {@code cells}: the record must say where
     * every column's cells are (a data read), which for a re-execution sharing its origin's columns costs a read of
     * the index.
     */
    static Shown of(Backend store, ReadView view, InstanceRecord r, boolean cells) {
        if (!r.temporary()) {
            return new Shown(r, null);
        }
        Optional<BuildingProcess.Found> found = BuildingProcess.of(view, r.table(), r.version());
        if (found.isEmpty()) {
            return new Shown(r, null);
        }
        BuildingProcess.Found f = found.get();
        String pid = f.record().id();
        if (f.args() instanceof ExecuteArgs a && f.progress() instanceof ExecProgress p) {
            PartialExecution.Shown s = PartialExecution.of(store, view, r, a, p, cells);
            return new Shown(s.record(), new InstanceProgress(pid, f.record().state(), s.builder(), s.committedRows(),
                    s.rows()));
        }
        if (f.args() instanceof WriteInstanceArgs a && f.progress() instanceof WriteProgress p) {
            // Rows [0, p.rows()) are staged; the rest read as nulls.
            return new Shown(r.holding(a.columns(), a.rows(), p.instanceKey(), false, List.of(), List.of()),
                    new InstanceProgress(pid, f.record().state(), null, p.rows(), a.rows()));
        }
        // Paused before its first checkpoint: nothing of this process is committed (rows an earlier, reverted
        // execution left are dropped by its first checkpoint).
        long rows = f.args() instanceof WriteInstanceArgs a ? a.rows() : -1;
        return new Shown(r.holding(List.of(), 0, 0, false, List.of(), List.of()),
                new InstanceProgress(pid, f.record().state(), null, 0, rows));
    }
}
