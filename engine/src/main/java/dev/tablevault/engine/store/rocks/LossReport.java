package dev.tablevault.engine.store.rocks;

import dev.tablevault.api.RecoveryReport;
import dev.tablevault.engine.store.Keys;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;

/**
 * Turns a {@link Loss} into a {@link RecoveryReport}: the keys of the dropped batches name the processes
 * ({@code P}, {@code L}, {@code H} keys in {@code proc}), tables ({@code T}) and instances ({@code I}) in
 * {@code meta} that they wrote. Keys of other families (cells, locks) add nothing a reader could act on.
 */
final class LossReport {
    /** Key kinds of {@code proc} that name a process: active record, log entry, finished record. */
    private static final Set<String> PROCESS_KEYS = Set.of("P", "L", "H");

    private LossReport() {
    }

    static RecoveryReport of(Loss loss, Path dbDir, int metaId, int procId, String reportFile) {
        TreeSet<String> processes = new TreeSet<>();
        TreeSet<String> tables = new TreeSet<>();
        TreeSet<String> instances = new TreeSet<>();
        for (WalScan.Batch b : loss.dropped()) {
            try (WriteBatch batch = new WriteBatch(b.payload());
                 KeyVisitor v = new KeyVisitor((cf, key) -> {
                     String[] parts = Keys.parts(key);
                     if (cf == procId && parts.length >= 2 && PROCESS_KEYS.contains(parts[0])) {
                         processes.add(parts[1]);
                     } else if (cf == metaId && parts.length >= 2 && parts[0].equals("T")) {
                         tables.add(parts[1]);
                     } else if (cf == metaId && parts.length >= 3 && parts[0].equals("I")) {
                         tables.add(parts[1]);
                         instances.add(parts[1] + "/" + parts[2]);
                     }
                 })) {
                batch.iterate(v);
            } catch (RocksDBException e) {
                throw StoreErrors.toTv(e, "cannot decode a dropped write batch of " + b.file() + " at offset "
                        + b.offset());
            }
        }
        return new RecoveryReport(true, loss.describe(dbDir), loss.recovered(), loss.lostTo(), loss.dropped().size(),
                processes.stream().toList(), tables.stream().toList(), instances.stream().toList(), reportFile);
    }

    /** Calls back with the column family id and key of every write in a batch. */
    private static final class KeyVisitor extends WriteBatch.Handler {
        private final KeyConsumer keys;

        KeyVisitor(KeyConsumer keys) {
            this.keys = keys;
        }

        @Override
        public void put(int cf, byte[] key, byte[] value) {
            keys.accept(cf, key);
        }

        @Override
        public void put(byte[] key, byte[] value) {
            keys.accept(0, key);
        }

        @Override
        public void merge(int cf, byte[] key, byte[] value) {
            keys.accept(cf, key);
        }

        @Override
        public void merge(byte[] key, byte[] value) {
            keys.accept(0, key);
        }

        @Override
        public void delete(int cf, byte[] key) {
            keys.accept(cf, key);
        }

        @Override
        public void delete(byte[] key) {
            keys.accept(0, key);
        }

        @Override
        public void singleDelete(int cf, byte[] key) {
            keys.accept(cf, key);
        }

        @Override
        public void singleDelete(byte[] key) {
            keys.accept(0, key);
        }

        @Override
        public void deleteRange(int cf, byte[] begin, byte[] end) {
            keys.accept(cf, begin);
        }

        @Override
        public void deleteRange(byte[] begin, byte[] end) {
            keys.accept(0, begin);
        }

        @Override
        public void logData(byte[] blob) {
        }

        @Override
        public void putBlobIndex(int cf, byte[] key, byte[] value) {
            keys.accept(cf, key);
        }

        @Override
        public void markBeginPrepare() {
        }

        @Override
        public void markEndPrepare(byte[] xid) {
        }

        @Override
        public void markNoop(boolean emptyBatch) {
        }

        @Override
        public void markRollback(byte[] xid) {
        }

        @Override
        public void markCommit(byte[] xid) {
        }

        @Override
        public void markCommitWithTimestamp(byte[] xid, byte[] ts) {
        }
    }

    @FunctionalInterface
    interface KeyConsumer {
        void accept(int cf, byte[] key);
    }
}
