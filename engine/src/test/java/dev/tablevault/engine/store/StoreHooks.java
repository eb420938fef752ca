package dev.tablevault.engine.store;

import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.FlushOptions;
import org.rocksdb.LiveFileMetaData;
import org.rocksdb.RocksDBException;

import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Test access to the database under a {@link Store}: flush and compact, and which table files hold a family. */
public final class StoreHooks {
    private StoreHooks() {
    }

    /** Flushes the memtables and compacts every column family, so all data sits in table files. */
    public static void compact(Store s) throws RocksDBException {
        try (FlushOptions f = new FlushOptions().setWaitForFlush(true)) {
            for (ColumnFamilyHandle h : List.of(s.meta, s.proc, s.locks, s.data)) {
                s.db().flush(f, h);
                s.db().compactRange(h);
            }
        }
    }

    /** The largest table file of column family {@code family} ("meta", "data", ...), if it has one. */
    public static Optional<Path> largestFile(Store s, String family) {
        return s.db().getLiveFilesMetaData().stream()
                .filter(m -> new String(m.columnFamilyName(), java.nio.charset.StandardCharsets.UTF_8).equals(family))
                .max(Comparator.comparingLong(LiveFileMetaData::size))
                .map(m -> Path.of(m.path(), m.fileName()));
    }

    /** A copy of the catalog's keys read afresh from {@code s}, to compare with the one its writes kept. */
    public static CatalogMirror freshMirror(Store s) {
        return CatalogMirror.load(s);
    }
}
