package dev.tablevault.engine.store.rocks;

import dev.tablevault.engine.store.Backend;
import dev.tablevault.engine.store.CatalogMirror;
import dev.tablevault.engine.store.Family;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.FlushOptions;
import org.rocksdb.LiveFileMetaData;
import org.rocksdb.RocksDBException;

import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;

/**
 * Test access to the RocksDB database under a vault's {@link Backend}: flush and compact, and which table files hold
 * a family.
 */
public final class StoreHooks {
    private StoreHooks() {
    }

    /** Flushes the memtables and compacts every column family, so all data sits in table files. */
    public static void compact(Backend s) throws RocksDBException {
        try (FlushOptions f = new FlushOptions().setWaitForFlush(true)) {
            for (Family family : Family.values()) {
                ColumnFamilyHandle h = ((RocksBackend) s).handle(family);
                ((RocksBackend) s).db().flush(f, h);
                ((RocksBackend) s).db().compactRange(h);
            }
        }
    }

    /** The largest table file of column family {@code family} ("meta", "data", ...), if it has one. */
    public static Optional<Path> largestFile(Backend s, String family) {
        return ((RocksBackend) s).db().getLiveFilesMetaData().stream()
                .filter(m -> new String(m.columnFamilyName(), java.nio.charset.StandardCharsets.UTF_8).equals(family))
                .max(Comparator.comparingLong(LiveFileMetaData::size))
                .map(m -> Path.of(m.path(), m.fileName()));
    }

    /** A copy of the catalog's keys read afresh from {@code s}, to compare with the one its writes kept. */
    public static CatalogMirror freshMirror(Backend s) {
        return CatalogMirror.load(s);
    }
}
