package dev.tablevault.engine.process;

import dev.tablevault.engine.codec.Codec;
import dev.tablevault.engine.codec.Records.InstanceRecord;
import dev.tablevault.engine.data.Artifacts;
import dev.tablevault.engine.store.Backend;
import dev.tablevault.engine.store.Batch;
import dev.tablevault.engine.store.Family;
import dev.tablevault.engine.store.Keys;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The deletion of instances (records, cells no one else uses, artifacts), shared by the deleting operations. */
public final class InstanceDrops {
    private InstanceDrops() {
    }

    /** A commit that may be interrupted. */
    public interface Commit {
        void run() throws InterruptedException;
    }

    /**
     * Runs the commit of a deletion of {@code gone}: when they hold cells, under {@link OpenVault#cellKeys}, so
     * that which cells are still used is decided and written as one (two deletions of the last two users of a
     * key, side by side, would each see the other and leave the key behind). Deletions without cells (most
     * table deletions) do not wait on each other.
     */
    public static void dropping(ProcessContext ctx, List<InstanceRecord> gone, Commit commit)
            throws InterruptedException {
        if (!holdCells(gone)) {
            commit.run();
            return;
        }
        synchronized (ctx.vault.cellKeys()) {
            commit.run();
        }
    }

    /**
     * Adds the removal of instance records, of the cells no remaining instance uses (an instance that carried
     * a column over reads it under its origin's key, which then outlives the origin), of their artifact
     * checksums, and, once durable, of their artifact folders. Callers build and write the batch inside
     * {@link #dropping}.
     */
    public static void deleteInstances(ProcessContext ctx, Batch b, List<InstanceRecord> gone) {
        Backend s = ctx.vault.store();
        if (!holdCells(gone)) {
            for (InstanceRecord r : gone) {
                b.delete(Family.META, Keys.instance(r.table(), r.id()));
            }
            return;
        }
        Set<String> goneIds = new HashSet<>();
        gone.forEach(r -> goneIds.add(r.table() + "/" + r.id()));
        Set<Long> used = new HashSet<>();
        s.scan(Family.META, Keys.prefix("I"), (k, v) -> {
            InstanceRecord r = Codec.decode(v, InstanceRecord.class, "instance");
            if (!goneIds.contains(r.table() + "/" + r.id())) {
                used.add(r.key());
                used.addAll(r.columnKeys());
            }
            return true;
        });
        Set<Long> dropped = new HashSet<>();
        for (InstanceRecord r : gone) {
            b.delete(Family.META, Keys.instance(r.table(), r.id()));
            Set<Long> keys = new HashSet<>(r.columnKeys());
            keys.add(r.key());
            for (long k : keys) {
                if (k != 0 && !used.contains(k) && dropped.add(k)) {
                    b.deleteRange(Family.DATA, Keys.instanceStart(k), Keys.instanceStart(k + 1));
                }
            }
            if (r.key() != 0) {
                b.delete(Family.META, Artifacts.sumsKey(r.key()));
                ctx.onDurable(() -> Artifacts.delete(ctx.vault.artifactHome(), r.key()));
            }
        }
    }

    /** False when none of {@code records} points at cells or an artifact folder (instance key 0). */
    private static boolean holdCells(List<InstanceRecord> records) {
        return !records.stream().allMatch(r -> r.key() == 0 && r.columnKeys().isEmpty());
    }
}
