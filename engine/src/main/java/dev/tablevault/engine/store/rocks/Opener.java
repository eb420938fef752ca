package dev.tablevault.engine.store.rocks;

import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.TvStorageException;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.Status;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Opens a {@link RocksBackend}: checks {@code CURRENT}, reads the durable mark and, after an unclean close, the WAL
 * files; opens RocksDB (read-only opens again while the owner changes the file set under them); and refuses a
 * database whose recovery dropped durable writes ({@link Loss}), writing the finding to
 * {@code db/tablevault.loss} first so that every later open refuses too until a recovery.
 */
final class Opener {
    private static final Logger LOG = LoggerFactory.getLogger(Opener.class);
    private static final List<String> FAMILIES = List.of("default", "meta", "proc", "locks", "data");
    /**
     * WAL files (reused ones included, at most 4 of those) a read-write open finds before it flushes them away in
     * the background (see {@link RocksBackend#flushInBackground}).
     */
    static final int WAL_FILES_BEFORE_FLUSH = 8;
    /** Table files below which they are opened on one thread (RocksDB starts its threads per column family). */
    static final int TABLE_FILES_PER_THREAD = 64;
    /** RocksDB's default for {@code max_file_opening_threads}. */
    private static final int MAX_FILE_OPENING_THREADS = 16;

    private Opener() {
    }

    static RocksBackend open(Path dbDir, RocksBackend.Opening how) {
        DurableMark.State mark = how.create() ? null : DurableMark.read(dbDir);
        String pendingLoss = how.create() ? null : PendingLoss.read(dbDir);
        if (!how.create()) {
            OpenErrors.checkCurrent(dbDir);
        }
        boolean mayScan = !how.create() && !(how.readOnly() && how.writerMayBeLive());
        long logs = how.create() || how.readOnly() ? 0 : count(dbDir, ".log");
        boolean clean = mark != null && mark.clean();
        WalScan.Result before = mayScan && !clean ? scanQuietly(dbDir) : null;
        RocksBackend store = openDb(dbDir, how);
        try {
            long recovered = store.latestSequence();
            if (mayScan && clean && mark.sequence() != recovered) {
                before = scanQuietly(dbDir); // a clean close was not recovered to: find where the log is damaged
            }
            Loss loss = Loss.find(recovered, mark, before);
            if (loss != null && how.readOnly() && !Objects.equals(mark, DurableMark.read(dbDir))) {
                loss = null; // an owner opened meanwhile: the log may have grown under the scan
            }
            if (loss != null && pendingLoss == null) {
                pendingLoss = loss.describe(dbDir);
                if (!how.readOnly()) {
                    PendingLoss.write(dbDir, pendingLoss);
                }
            }
            if (pendingLoss != null && !how.recover()) {
                store.refuse();
                throw new TvStorageException(ErrorCode.CORRUPTION, "vault " + dbDir.getParent() + " lost durable"
                        + " writes: " + pendingLoss + ". Nothing was changed. Run 'tv --vault " + dbDir.getParent()
                        + " recover' (TableVault.recover) to open it at the last consistent point and record what"
                        + " was lost, or restore it from a backup.");
            }
            store.opened(loss, pendingLoss);
            if (!how.readOnly()) {
                store.markDurable(recovered, false);
                store.startSyncing(how.groupedMillis());
                if (!how.recover() && logs > WAL_FILES_BEFORE_FLUSH) {
                    store.flushInBackground();
                }
            }
            return store;
        } catch (RuntimeException | IOException e) {
            store.refuse();
            store.close();
            if (e instanceof RuntimeException r) {
                throw r;
            }
            throw new TvStorageException(ErrorCode.IO, "cannot check the write-ahead log of " + dbDir + ": " + e, e);
        }
    }

    /**
     * Threads to open the table files of {@code dbDir} with. RocksDB starts that many per column family on every
     * open, even for no files; on a small vault starting 80 threads took longer than opening its few files
     * (PV5 in BENCHMARKS.md), so one thread opens up to {@value #TABLE_FILES_PER_THREAD} files.
     */
    static int fileOpeningThreads(Path dbDir) {
        long tables = count(dbDir, ".sst");
        return (int) Math.max(1, Math.min(MAX_FILE_OPENING_THREADS, tables / TABLE_FILES_PER_THREAD));
    }

    /** How many files in {@code dbDir} end with {@code suffix}; 0 when it cannot be listed (the open says why). */
    private static long count(Path dbDir, String suffix) {
        try (Stream<Path> files = Files.list(dbDir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(suffix)).count();
        } catch (IOException e) {
            return 0;
        }
    }

    private static WalScan.Result scanQuietly(Path dbDir) {
        try {
            return WalScan.scan(dbDir);
        } catch (IOException e) {
            throw new TvStorageException(ErrorCode.IO, "cannot read the write-ahead log files of " + dbDir + ": " + e,
                    e);
        }
    }

    private static RocksBackend openDb(Path dbDir, RocksBackend.Opening how) {
        DBOptions dbo = RocksBackend.dbOptions(dbDir, how.create());
        NoSpaceWatch watch = new NoSpaceWatch();
        dbo.setListeners(List.of(watch));
        ColumnFamilyOptions cfo = new ColumnFamilyOptions();
        List<ColumnFamilyDescriptor> descs = new ArrayList<>();
        for (String f : FAMILIES) {
            descs.add(new ColumnFamilyDescriptor(f.getBytes(StandardCharsets.UTF_8), cfo));
        }
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        try {
            RocksDB db = how.readOnly()
                    ? openReadOnly(dbo, dbDir, descs, handles)
                    : RocksDB.open(dbo, dbDir.toString(), descs, handles);
            return new RocksBackend(dbDir, how.readOnly(), dbo, cfo, handles, db, how.durability(), how.groupedMillis(),
                    watch);
        } catch (RocksDBException e) {
            handles.forEach(ColumnFamilyHandle::close);
            cfo.close();
            dbo.close();
            watch.close();
            throw OpenErrors.of(e, dbDir, how.ownerHint(), how.create());
        }
    }

    /**
     * Opens read-only, again while the owner changes the file set under the open (up to {@link FileSet#ATTEMPTS}
     * times): a table file the MANIFEST named may be compacted away before the open reaches it, which RocksDB
     * reports as a corrupted MANIFEST. An error stands once the file set held still across the attempt.
     */
    private static RocksDB openReadOnly(DBOptions o, Path dir, List<ColumnFamilyDescriptor> descs,
                                        List<ColumnFamilyHandle> handles) throws RocksDBException {
        for (int attempt = 1; ; attempt++) {
            FileSet before = FileSet.of(dir);
            try {
                return RocksDB.openReadOnly(o, dir.toString(), descs, handles);
            } catch (RocksDBException e) {
                if (before.equals(FileSet.of(dir))) {
                    throw e;
                }
                if (attempt == FileSet.ATTEMPTS || !FileSet.backOff(attempt)) {
                    // Not shown to be damage: the owner replaced files during every attempt.
                    throw new RocksDBException("the owner changed the database's files during each of "
                            + attempt + " read-only opens; open again (last error: " + e.getMessage() + ")",
                            new Status(Status.Code.IOError, Status.SubCode.None, e.getMessage()));
                }
                LOG.debug("read-only open of {} raced with the owner, trying again: {}", dir, e.getMessage());
            }
        }
    }
}
