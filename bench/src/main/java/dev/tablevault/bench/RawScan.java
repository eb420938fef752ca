package dev.tablevault.bench;

import dev.tablevault.api.ColumnType;
import dev.tablevault.api.ColumnVector;
import dev.tablevault.engine.store.Chunks;
import dev.tablevault.engine.store.rocks.NativeLibrary;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.FlushOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * P5's references: raw read-only RocksDB over a closed vault's database, iterating its {@code data} family
 * (the same chunk keys the vault reads), with no decoder, the engine's boxed one or its typed one (see
 * {@link Decode}).
 */
final class RawScan implements AutoCloseable {
    private final ColumnFamilyOptions cfo = new ColumnFamilyOptions();
    private final DBOptions dbo = new DBOptions();
    private final List<ColumnFamilyHandle> handles = new ArrayList<>();
    private final List<ColumnType> types;
    private final RocksDB db;
    private final ColumnFamilyHandle data;

    /** {@code types}: the instance's column types by column number, for the decoder. */
    RawScan(Path dbDir, List<ColumnType> types) throws RocksDBException {
        NativeLibrary.load();
        this.types = types;
        List<ColumnFamilyDescriptor> descs = new ArrayList<>();
        int dataAt = -1;
        try {
            for (byte[] n : families(dbDir)) {
                if (new String(n, StandardCharsets.UTF_8).equals("data")) {
                    dataAt = descs.size();
                }
                descs.add(new ColumnFamilyDescriptor(n, cfo));
            }
            db = RocksDB.openReadOnly(dbo, dbDir.toString(), descs, handles);
        } catch (RocksDBException e) {
            close();
            throw e;
        }
        if (dataAt < 0) {
            close();
            throw new IllegalStateException("no data column family in " + dbDir);
        }
        data = handles.get(dataAt);
    }

    private static List<byte[]> families(Path dbDir) throws RocksDBException {
        try (Options o = new Options()) {
            return RocksDB.listColumnFamilies(o, dbDir.toString());
        }
    }

    /** Opens the closed vault's database read-write and flushes every column family into table files. */
    static void flushAll(Path dbDir) throws RocksDBException {
        List<byte[]> names = families(dbDir);
        List<ColumnFamilyHandle> hs = new ArrayList<>();
        try (ColumnFamilyOptions cfo = new ColumnFamilyOptions(); DBOptions dbo = new DBOptions();
             FlushOptions fo = new FlushOptions().setWaitForFlush(true)) {
            List<ColumnFamilyDescriptor> descs = new ArrayList<>();
            for (byte[] n : names) {
                descs.add(new ColumnFamilyDescriptor(n, cfo));
            }
            try (RocksDB db = RocksDB.open(dbo, dbDir.toString(), descs, hs)) {
                try {
                    db.flush(fo, hs);
                } finally {
                    for (ColumnFamilyHandle h : hs) {
                        h.close();
                    }
                }
            }
        }
    }

    /** How {@link #scan} treats each chunk. */
    enum Decode {
        /** Touches the bytes only. */
        NONE,
        /** The engine's boxed decoder, into a {@code List<Object>} (what every reader used before vectors). */
        BOXED,
        /** The engine's typed decoder, into a {@link ColumnVector} per chunk (what {@code dataframe} uses). */
        TYPED
    }

    /** Every chunk of the data family; returns cells decoded (or 0 when only bytes are touched). */
    long scan(Decode decode) {
        long cells = 0;
        long bytes = 0;
        List<Object> values = new ArrayList<>(Chunks.ROWS);
        try (RocksIterator it = db.newIterator(data)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                byte[] k = it.key();
                byte[] v = it.value();
                bytes += k.length + v.length;
                ColumnType type = decode == Decode.NONE ? null : types.get(ByteBuffer.wrap(k, 8, 4).getInt());
                if (decode == Decode.BOXED) {
                    values.clear();
                    Chunks.decode(type, v, values);
                    cells += values.size();
                } else if (decode == Decode.TYPED) {
                    ColumnVector.Builder b = ColumnVector.builder(type, Chunks.ROWS);
                    Chunks.decode(type, v, 0, v.length, b, Integer.MAX_VALUE);
                    cells += b.build().size();
                }
            }
        }
        if (bytes == 0) {
            throw new IllegalStateException("empty data family");
        }
        return cells;
    }

    @Override
    public void close() {
        for (ColumnFamilyHandle h : handles) {
            h.close();
        }
        if (db != null) {
            db.close();
        }
        dbo.close();
        cfo.close();
    }
}
