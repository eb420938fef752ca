package dev.tablevault.engine.exec;

import dev.tablevault.api.Column;
import dev.tablevault.engine.codec.Records.ExecProgress;
import dev.tablevault.engine.codec.Records.ExecuteArgs;
import dev.tablevault.engine.codec.Records.InstanceRecord;
import dev.tablevault.engine.data.Catalog;
import dev.tablevault.engine.store.Backend;
import dev.tablevault.engine.store.Reads;

import java.util.List;

/**
 * What a read of {@code TEMP_<version>} shows while an execution builds it: the instance as the execution's last
 * checkpoint left it, the record a revert would write then (see {@code Vault.dataframe} for the rule). Built from
 * the recorded progress alone, never from the builders' code, so a read-only handle can build it too. Stateless.
 */
public final class PartialExecution {
    private PartialExecution() {
    }

    /**
     * The partial instance: {@code record} (unsuccessful, so cells never written read as nulls), the current
     * step's {@code builder} (null once every builder finished), the rows it committed, and the rows the instance
     * will have (-1 while the index builder runs).
     */
    public record Shown(InstanceRecord record, String builder, long committedRows, long rows) {
    }

    /**
     * The partial instance of {@code temp} at checkpoint {@code p}, read through {@code snapshot} (the one
     * {@code p} was read from, so cells and progress agree). With {@code cells} false the record does not say where
     * shared columns are, which would cost a read of the index (a description needs no cells).
     */
    public static Shown of(Backend store, Reads snapshot, InstanceRecord temp, ExecuteArgs args, ExecProgress p,
                           boolean cells) {
        Execution execution = new Execution(args, null);
        execution.store = store;
        execution.snapshot = snapshot;
        List<Spec> steps = execution.ordered(p);
        List<Column> columns = execution.columns(p);
        Execution.Stored at = cells ? execution.stored(new Catalog(store, snapshot), store, p, columns)
                : new Execution.Stored(List.of(), List.of());
        long rows = Execution.rowsOf(p);
        InstanceRecord r = temp.holding(columns, rows, p.instanceKey(), false, at.keys(), at.slots());
        boolean finished = p.step() >= steps.size();
        // The index step shows only the rows below doneBefore: above it, its rows are not all defined yet.
        long committed = finished ? rows : p.step() == 0 ? p.doneBefore() : p.doneBefore() + p.doneAfter().size();
        return new Shown(r, finished ? null : steps.get(p.step()).name(), committed, p.rows());
    }
}
