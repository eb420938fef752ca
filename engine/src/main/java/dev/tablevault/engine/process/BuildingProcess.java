package dev.tablevault.engine.process;

import dev.tablevault.engine.codec.Codec;
import dev.tablevault.engine.codec.Records.ExecuteArgs;
import dev.tablevault.engine.codec.Records.LogEntry;
import dev.tablevault.engine.codec.Records.LogKind;
import dev.tablevault.engine.codec.Records.ProcessRecord;
import dev.tablevault.engine.codec.Records.WriteInstanceArgs;
import dev.tablevault.engine.store.Family;
import dev.tablevault.engine.store.Keys;
import dev.tablevault.engine.store.ReadView;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The active process building a temporary instance: the {@code executeInstance} or {@code writeInstance} of its
 * version whose record is saved (it checkpointed or paused), read from one snapshot with its arguments and last
 * checkpoint, so that what a reader shows of the instance's cells agrees with the progress. Stateless.
 */
public final class BuildingProcess {
    private BuildingProcess() {
    }

    /** The process's saved record, its BEGIN arguments, and the progress of its last checkpoint (null: none). */
    public record Found(ProcessRecord record, Object args, Object progress) {
    }

    /**
     * The active process building {@code TEMP_<version>} of {@code table} as {@code view} sees it. Reads every
     * active record (few) and, for an execution or a write, its first log entry; then its log backwards to the
     * last checkpoint.
     */
    public static Optional<Found> of(ReadView view, String table, String version) {
        List<ProcessRecord> active = new ArrayList<>();
        view.scan(Family.PROC, Keys.prefix("P"),
                (k, v) -> active.add(Codec.decode(v, ProcessRecord.class, "process")));
        for (ProcessRecord r : active) {
            if (!r.operation().equals("executeInstance") && !r.operation().equals("writeInstance")) {
                continue;
            }
            byte[] begin = view.get(Family.PROC, Keys.logEntry(r.id(), 0));
            Object args = begin == null ? null : Codec.decode(begin, LogEntry.class, "log of " + r.id()).payload();
            boolean builds = args instanceof ExecuteArgs e ? e.table().equals(table) && e.version().equals(version)
                    : args instanceof WriteInstanceArgs w && w.table().equals(table) && w.version().equals(version);
            if (builds) {
                Object[] progress = new Object[1];
                view.scanBackwards(Family.PROC, Keys.prefix("L", r.id()), (k, v) -> {
                    LogEntry e = Codec.decode(v, LogEntry.class, "log of " + r.id());
                    if (e.is(LogKind.CHECKPOINT)) {
                        progress[0] = e.payload();
                    }
                    return progress[0] == null;
                });
                return Optional.of(new Found(r, args, progress[0]));
            }
        }
        return Optional.empty();
    }
}
