package dev.tablevault.engine;

import dev.tablevault.api.Column;
import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.InstanceProgress;
import dev.tablevault.api.ReadOptions;
import dev.tablevault.api.TvArgumentException;
import dev.tablevault.api.Vault;
import dev.tablevault.engine.codec.Records.InstanceRecord;
import dev.tablevault.engine.data.Catalog;
import dev.tablevault.engine.data.FrameStore;
import dev.tablevault.engine.data.Names;
import dev.tablevault.engine.store.Backend;
import dev.tablevault.engine.store.ReadView;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One RocksDB snapshot of an open vault that several instance reads share, so reads of several tables agree
 * (what the Arrow reader's {@code ArrowSnapshot} pins). Instances are picked and read as {@link Vault#rows}
 * does, partial reads included. Picking is for one thread at a time; each {@link #cursor} may run on its own
 * thread. Close every cursor before this; closing the vault first is an error, as for {@link Vault#rows}.
 */
public final class PinnedReads implements AutoCloseable {
    private final dev.tablevault.engine.store.Backend store;
    private final ReadView view;

    PinnedReads(dev.tablevault.engine.store.Backend store, ReadView view) {
        this.store = store;
        this.view = view;
    }

    /** A pinned snapshot of {@code vault} when it is this JVM's own (read-write or read-only), else empty. */
    public static Optional<PinnedReads> of(Vault vault) {
        return vault instanceof VaultImpl impl ? Optional.of(impl.pin()) : Optional.empty();
    }

    /** An instance as this snapshot shows it: its id, columns and rows, and the mark of a partial read. */
    public static final class Picked {
        private final InstanceRecord record;
        private final InstanceProgress progress;

        private Picked(InstanceRecord record, InstanceProgress progress) {
            this.record = record;
            this.progress = progress;
        }

        public String id() {
            return record.id();
        }

        public List<Column> columns() {
            return record.columns();
        }

        public long rows() {
            return record.rows();
        }

        /** Where the process building it was, for a partial read; else null. */
        public InstanceProgress progress() {
            return progress;
        }
    }

    /**
     * The instance a read of {@code table} with {@code o} picks in this snapshot.
     *
     * @throws TvArgumentException {@code NOT_FOUND} for a missing table or instance, {@code BAD_ARGUMENT} for a
     *     bad name
     */
    public Picked pick(String table, ReadOptions o) {
        Names.table(table);
        if (o.instanceId() != null) {
            Names.instance(o.instanceId());
        }
        PartialReads.Shown shown = PartialReads.of(store, view, new Catalog(store, view).pick(table, o), true);
        return new Picked(shown.record(), shown.progress());
    }

    /**
     * A cursor over the columns of {@code p} at positions {@code columns} (in that order), on this snapshot; its
     * rows and chunks hold those columns only, so cells of other columns are never read.
     */
    public FrameStore.Cursor cursor(Picked p, int[] columns) {
        InstanceRecord r = p.record;
        List<Column> cols = new ArrayList<>();
        List<Long> keys = new ArrayList<>();
        List<Integer> slots = new ArrayList<>();
        for (int c : columns) {
            if (c < 0 || c >= r.columns().size()) {
                throw new TvArgumentException(ErrorCode.BAD_ARGUMENT, "column position " + c + " is not one of the "
                        + r.columns().size() + " columns of instance " + r.id());
            }
            cols.add(r.columns().get(c));
            keys.add(r.keyOf(c));
            slots.add(r.slotOf(c));
        }
        InstanceRecord projected = new InstanceRecord(r.table(), r.id(), r.version(), r.temporary(), r.externalEdit(),
                r.originTable(), r.originId(), r.description(), cols, List.of(), r.rows(), r.success(), r.active(),
                r.changedTime(), r.materializedTime(), r.processId(), r.key(), List.of(), keys, slots, List.of());
        ReadView v = view.borrow();
        try {
            return new FrameStore.Cursor(v, projected, p.progress);
        } catch (RuntimeException e) {
            v.close();
            throw e;
        }
    }

    @Override
    public void close() {
        view.close();
    }
}
