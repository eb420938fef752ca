package dev.tablevault.bench;

import dev.tablevault.api.ColumnType;
import dev.tablevault.engine.store.Chunks;
import dev.tablevault.engine.store.Keys;
import dev.tablevault.engine.store.rocks.NativeLibrary;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static dev.tablevault.bench.ExecSetup.BATCH_ROWS;
import static dev.tablevault.bench.ExecSetup.quiesce;

/**
 * P3's baseline: raw RocksDB ingestion of the cells P3's execution writes: for every row its {@code id} and
 * {@code n} (both the row number), batches of {@link ExecSetup#BATCH_ROWS} rows, default RocksDB options like
 * the engine's. Per-cell: one key (instance 8 B, column 4 B, row 8 B, like the engine's cell keys) per cell,
 * the value in the engine's zig-zag varint encoding (1 to 3 bytes here). Chunks: the engine's layout and codec,
 * one key per 1,024 rows of a column.
 */
final class RawIngest {
    static {
        NativeLibrary.load();
    }

    private RawIngest() {
    }

    /** One run into a fresh database under {@code dir}; rows per second. */
    static double run(Path dir, int rows, boolean chunks, boolean sync) throws RocksDBException {
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        List<ColumnFamilyDescriptor> descs;
        try (ColumnFamilyOptions cfo = new ColumnFamilyOptions();
             DBOptions dbo = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true);
             WriteOptions wo = new WriteOptions().setSync(sync)) {
            descs = List.of(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, cfo),
                    new ColumnFamilyDescriptor("data".getBytes(StandardCharsets.UTF_8), cfo));
            try (RocksDB db = RocksDB.open(dbo, dir.resolve("db").toString(), descs, handles)) {
                try {
                    ColumnFamilyHandle data = handles.get(1);
                    quiesce();
                    long t0 = System.nanoTime();
                    if (chunks) {
                        chunked(db, wo, data, rows);
                    } else {
                        perCell(db, wo, data, rows);
                    }
                    long elapsed = System.nanoTime() - t0;
                    return rows / (elapsed / 1e9);
                } finally {
                    for (ColumnFamilyHandle h : handles) {
                        h.close();
                    }
                }
            }
        }
    }

    private static void perCell(RocksDB db, WriteOptions wo, ColumnFamilyHandle data, int rows)
            throws RocksDBException {
        byte[] buf = new byte[10];
        for (int from = 0; from < rows; from += BATCH_ROWS) {
            int to = Math.min(rows, from + BATCH_ROWS);
            try (WriteBatch b = new WriteBatch()) {
                for (long r = from; r < to; r++) {
                    for (int c = 0; c < 2; c++) {
                        byte[] key = ByteBuffer.allocate(20).putLong(1).putInt(c).putLong(r).array();
                        int n = varLong(buf, r);
                        b.put(data, key, Arrays.copyOf(buf, n));
                    }
                }
                db.write(wo, b);
            }
        }
    }

    private static void chunked(RocksDB db, WriteOptions wo, ColumnFamilyHandle data, int rows)
            throws RocksDBException {
        for (int from = 0; from < rows; from += BATCH_ROWS) {
            int to = Math.min(rows, from + BATCH_ROWS);
            try (WriteBatch b = new WriteBatch()) {
                for (int c = 0; c < 2; c++) {
                    for (int cf = from; cf < to; cf += Chunks.ROWS) {
                        int ce = Math.min(to, cf + Chunks.ROWS);
                        List<Object> values = new ArrayList<>(ce - cf);
                        for (long r = cf; r < ce; r++) {
                            values.add(r);
                        }
                        b.put(data, Keys.cell(1, c, cf / Chunks.ROWS), Chunks.encode(ColumnType.LONG, values, 0,
                                values.size()));
                    }
                }
                db.write(wo, b);
            }
        }
    }

    /** Zig-zag varint, as the engine's chunk codec writes a LONG (Kryo {@code writeVarLong(v, false)}). */
    private static int varLong(byte[] buf, long v) {
        long z = (v << 1) ^ (v >> 63);
        int i = 0;
        while ((z & ~0x7FL) != 0) {
            buf[i++] = (byte) ((z & 0x7F) | 0x80);
            z >>>= 7;
        }
        buf[i++] = (byte) z;
        return i;
    }
}
