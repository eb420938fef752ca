package dev.tablevault.engine;

import dev.tablevault.api.TableVaultException;
import dev.tablevault.engine.board.Board;
import dev.tablevault.engine.board.BoardEntry;
import dev.tablevault.engine.codec.Codec;
import dev.tablevault.engine.codec.Records.InstanceRecord;
import dev.tablevault.engine.codec.Records.LockRecord;
import dev.tablevault.engine.codec.Records.ProcessRecord;
import dev.tablevault.engine.lock.LockTable;
import dev.tablevault.engine.process.Op;
import dev.tablevault.engine.process.Processes;
import dev.tablevault.engine.runner.RunnerId;
import dev.tablevault.engine.store.Backend;
import dev.tablevault.engine.store.Family;
import dev.tablevault.engine.store.Keys;
import dev.tablevault.engine.store.rocks.RocksBackend;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.HashSet;
import java.util.Set;

/**
 * What a vault rebuilds in memory from the store when it opens: the instance key counter (RocksDB), the lock
 * table of the processes a previous owner left active, and their entries on the live board. Stateless; called once, before the vault serves calls.
 */
final class OpenState {
    private static final Logger LOG = LoggerFactory.getLogger(OpenState.class);

    private OpenState() {
    }

    /**
     * Seeds a RocksDB vault's instance key counter past the largest key in use (a shared backend draws keys from
     * its database and needs nothing).
     */
    static void seedInstanceKeys(Backend store) {
        if (store instanceof RocksBackend rocks) {
            rocks.instanceKeysAfter(maxInstanceKey(store));
        }
    }

    /** The largest instance key any instance record or cell uses. */
    private static long maxInstanceKey(Backend store) {
        long[] max = {0};
        byte[] last = store.lastKey(Family.DATA);
        if (last != null) {
            max[0] = Keys.cellInstance(last);
        }
        store.scan(Family.META, Keys.prefix("I"), (k, v) -> {
            InstanceRecord r = Codec.decode(v, InstanceRecord.class, "instance");
            max[0] = Math.max(max[0], r.key());
            r.columnKeys().forEach(ck -> max[0] = Math.max(max[0], ck));
            return true;
        });
        return max[0];
    }

    /** Gives every active process its stored locks again; a lock of no active process is logged (verify says). */
    static void adoptLocks(Backend store, Processes processes, LockTable locks) {
        Set<String> active = new HashSet<>();
        processes.activeRecords().forEach(r -> active.add(r.id()));
        store.scan(Family.LOCKS, new byte[0], (k, v) -> {
            LockRecord lr = Codec.decode(v, LockRecord.class, "lock");
            if (active.contains(lr.processId())) {
                locks.adopt(lr.processId(), lr.resource(), lr.mode());
            } else {
                LOG.warn("lock record {} of {} has no active process; 'tv verify' reports it", lr.resource(),
                        lr.processId());
            }
            return true;
        });
    }

    /** Rebuilds the board from the store: every active process, as its record has it (the store is the truth). */
    static void showActive(Board board, Processes processes, Clock clock) {
        if (!board.on()) {
            return;
        }
        for (ProcessRecord r : processes.activeRecords()) {
            Op.Target t = boardTarget(processes, r.id());
            board.dormant(new BoardEntry(r.id(), r.operation(), t == null ? "" : t.table(),
                    t == null ? "" : t.version(), r.state().name(), r.author(), r.error() == null ? "" : r.error(), "",
                    0, -1, 0, r.started(), clock.millis(), RunnerId.of(r), false));
        }
    }

    /** What process {@code pid} works on, for the board; a BEGIN that cannot be read is logged (verify reports it). */
    private static Op.Target boardTarget(Processes processes, String pid) {
        try {
            return processes.target(pid);
        } catch (TableVaultException e) {
            LOG.warn("process {}: the board shows it without its table: {}", pid, e.getMessage());
            return null;
        }
    }
}
