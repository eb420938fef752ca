package dev.tablevault.bench;

import dev.tablevault.engine.store.rocks.NativeLibrary;
import dev.tablevault.engine.store.rocks.RocksBackend;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Raw RocksDB, the P1 baseline: one operation is one {@code WriteBatch} of {@link #PUTS} puts of
 * {@link #VALUE_BYTES}-byte values over the same column families the engine uses ({@code meta}, {@code proc},
 * {@code locks}), written with {@code sync=true} (one WAL fdatasync per batch; concurrent writers share it
 * through RocksDB's group commit). With {@code engineWal}, the WAL options are the vault's
 * ({@link RocksBackend#walOptions}: a bounded WAL and reused WAL files), so the comparison is like with like;
 * without, every option is RocksDB's default. Override the shape with {@code -Dbench.raw.puts} and
 * {@code -Dbench.raw.valueBytes}.
 */
final class RawRocksTarget implements Target {
    static final int PUTS = Integer.getInteger("bench.raw.puts", 4);
    static final int VALUE_BYTES = Integer.getInteger("bench.raw.valueBytes", 128);
    private static final List<String> FAMILIES = List.of("default", "meta", "proc", "locks", "data");

    static {
        NativeLibrary.load();
    }

    private final String label;
    private final Path dir;
    private final DBOptions dbOptions;
    private final ColumnFamilyOptions cfOptions;
    private final List<ColumnFamilyHandle> handles = new ArrayList<>();
    private final RocksDB db;
    private final org.rocksdb.WriteOptions writeOptions;
    private final byte[] value = new byte[VALUE_BYTES];
    private final AtomicLongArray next = new AtomicLongArray(MAX_THREADS);

    RawRocksTarget(boolean sync, boolean engineWal, String label) {
        this.label = label;
        this.dir = BenchDirs.create("tv-bench-rocks-");
        Arrays.fill(value, (byte) 'v');
        DBOptions o = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true);
        dbOptions = engineWal ? RocksBackend.walOptions(o) : o;
        cfOptions = new ColumnFamilyOptions();
        List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
        for (String f : FAMILIES) {
            descriptors.add(new ColumnFamilyDescriptor(f.getBytes(StandardCharsets.UTF_8), cfOptions));
        }
        RocksDB opened = null;
        try {
            opened = RocksDB.open(dbOptions, dir.resolve("db").toString(), descriptors, handles);
        } catch (RocksDBException e) {
            cfOptions.close();
            dbOptions.close();
            BenchDirs.deleteRecursively(dir);
            throw new IllegalStateException("cannot open raw RocksDB in " + dir + ": " + e.getMessage(), e);
        }
        db = opened;
        writeOptions = new org.rocksdb.WriteOptions().setSync(sync);
    }

    @Override
    public String label() {
        return label;
    }

    @Override
    public void op(int thread) {
        long seq = next.getAndIncrement(thread);
        String key = thread + "/" + seq + "/";
        try (WriteBatch batch = new WriteBatch()) {
            for (int i = 0; i < PUTS; i++) {
                ColumnFamilyHandle cf = handles.get(1 + i % 3); // meta, proc, locks
                batch.put(cf, (key + i).getBytes(StandardCharsets.UTF_8), value);
            }
            db.write(writeOptions, batch);
        } catch (RocksDBException e) {
            throw new IllegalStateException("raw RocksDB write failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            writeOptions.close();
            for (ColumnFamilyHandle h : handles) {
                h.close();
            }
            try {
                db.closeE();
            } catch (RocksDBException e) {
                System.err.println("WARNING: raw RocksDB close: " + e.getMessage());
            }
            cfOptions.close();
            dbOptions.close();
        } finally {
            BenchDirs.deleteRecursively(dir);
        }
    }
}
