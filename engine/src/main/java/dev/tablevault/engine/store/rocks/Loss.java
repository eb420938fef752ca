package dev.tablevault.engine.store.rocks;

import dev.tablevault.api.Durability;

import java.nio.file.Path;
import java.util.List;

/**
 * Durable writes that RocksDB's point-in-time recovery did not bring back: the evidence that a vault must not
 * open quietly.
 *
 * <p>Two signs, either enough: intact write batches in the WAL beyond the point where recovery stopped
 * ({@link WalScan}), and a recovered sequence number below the {@link DurableMark}. Batches beyond the stop count
 * as durable when the writer used SYNC (every batch was synced before the next was written, so a later intact
 * batch proves the damaged one was complete) or when they are at or below the mark; past the mark, under GROUPED
 * or NONE, they were never promised and may be a torn tail after a power loss.
 *
 * @param damage    where the WAL stops checking out (null when only the mark shows the loss)
 * @param recovered the last sequence number recovery reached
 * @param lostTo    the highest sequence number known to be lost
 * @param dropped   the intact batches recovery dropped (may be empty when only the mark shows the loss)
 */
record Loss(WalScan.Stop damage, long recovered, long lostTo, List<WalScan.Batch> dropped) {

    /**
     * The loss, or null when recovery to {@code recovered} lost nothing durable.
     *
     * @param mark the mark read before the database was opened (null: none)
     * @param scan the WAL files as read before the database was opened (null: not read, because a live writer
     *             may be appending to them or the mark showed a clean close)
     */
    static Loss find(long recovered, DurableMark.State mark, WalScan.Result scan) {
        if (mark != null && mark.clean() && mark.sequence() == recovered) {
            return null;
        }
        long marked = mark == null ? 0 : mark.sequence();
        List<WalScan.Batch> dropped = List.of();
        if (scan != null) {
            boolean synced = mark == null || mark.durability() == Durability.SYNC;
            dropped = scan.after(recovered).stream().filter(b -> synced || b.sequence() <= marked).toList();
        }
        if (dropped.isEmpty() && marked <= recovered) {
            return null;
        }
        long lostTo = Math.max(marked, dropped.stream().mapToLong(WalScan.Batch::lastSequence).max().orElse(0));
        return new Loss(scan == null ? null : damage(scan, dropped), recovered, lostTo, dropped);
    }

    /** The last stop before the first dropped batch (or the last stop at all): where recovery ended. */
    private static WalScan.Stop damage(WalScan.Result result, List<WalScan.Batch> dropped) {
        WalScan.Stop found = null;
        for (WalScan.Stop s : result.stops()) {
            if (dropped.isEmpty()) {
                found = s;
                continue;
            }
            WalScan.Batch first = dropped.get(0);
            long sLog = WalScan.logNumber(s.file());
            long bLog = WalScan.logNumber(first.file());
            if (sLog < bLog || (sLog == bLog && s.offset() < first.offset())) {
                found = s;
            }
        }
        return found;
    }

    /** One sentence saying what was lost and where, for messages and the loss report. */
    String describe(Path dbDir) {
        StringBuilder b = new StringBuilder();
        if (damage != null) {
            b.append("the write-ahead log ").append(dbDir.relativize(damage.file())).append(" stops checking out at")
                    .append(" offset ").append(damage.offset()).append(" (").append(damage.reason()).append(")");
        } else {
            b.append("the write-ahead log ends early");
        }
        b.append("; recovery reaches sequence number ").append(recovered).append(", but writes up to ").append(lostTo)
                .append(" were durable");
        if (!dropped.isEmpty()) {
            b.append(" (").append(dropped.size()).append(" intact write batch").append(dropped.size() == 1 ? "" : "es")
                    .append(" after the damage would be dropped)");
        }
        return b.toString();
    }
}
