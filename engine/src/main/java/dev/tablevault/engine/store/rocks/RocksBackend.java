package dev.tablevault.engine.store.rocks;

import dev.tablevault.api.Durability;
import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.RecoveryReport;
import dev.tablevault.api.TvStorageException;
import dev.tablevault.engine.store.Backend;
import dev.tablevault.engine.store.Batch;
import dev.tablevault.engine.store.CatalogMirror;
import dev.tablevault.engine.store.Family;
import dev.tablevault.engine.store.FileErrors;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.FlushOptions;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiPredicate;
import java.util.stream.Stream;

/**
 * The embedded backend: the vault's RocksDB database at {@code <vault>/db}, one column family per {@link Family}
 * ({@code meta}, {@code proc}, {@code locks}, {@code data}). One OS process owns it (RocksDB's {@code LOCK}), so it
 * has no {@linkplain #sharedOwners() shared owners} and ignores a batch's {@linkplain Batch#requireFence fence}
 * and {@linkplain Batch#runChanges run changes}: there is no other owner to fence out, and no run rows. Beside the {@link Backend} contract it keeps the RocksDB open and recovery
 * path ({@link #open}, {@link #lossReport}, {@link #acceptRecovery}) and the raw {@link #write(WriteBatch)} of tests.
 *
 * <p>Thread safe. Owns every native handle it creates and closes them, in reverse order, in {@link #close()}.
 * Every commit goes through {@link #write}, with the vault's durability. Scans live in {@link Scans} and the
 * full-disk handling in {@link DiskSpace}; the rest stays here, past 400 lines, because it all shares the
 * native handles whose lifecycle (open, durable mark, recovery, close) this class owns.
 *
 * <p>A full disk: the failed write stops RocksDB's writes (a background error), and RocksDB's SstFileManager
 * resumes them in place once a memtable's worth of bytes is free, checking every 5 s. Until then every commit
 * fails with {@link ErrorCode#DISK_FULL}; once that much is free, a commit waits for the resumption.
 */
public final class RocksBackend implements Backend {
    private static final Logger LOG = LoggerFactory.getLogger(RocksBackend.class);
    /** How often a SYNC owner records the durable sequence number (GROUPED: after each WAL sync). */
    private static final long MARK_MILLIS = 1000;

    static {
        NativeLibrary.load();
    }

    private final Path dir;
    private final boolean readOnly;
    private final DBOptions dbOptions;
    private final ColumnFamilyOptions cfOptions;
    private final List<ColumnFamilyHandle> handles;
    private final RocksDB db;
    private final WriteOptions writeOptions;
    private final Durability durability;
    private final ScheduledExecutorService syncer;
    private final GroupCommit group;
    private final AtomicLong instanceKeys = new AtomicLong(1);
    private final DiskSpace space;
    private final Scans scans;
    /** The column family of each {@link Family}, by ordinal. */
    private final ColumnFamilyHandle[] families;
    private final DurableMark mark;
    /** The last sequence number written to the mark; guarded by {@link #mark}. */
    private long marked = -1;
    /** When the sync thread last wrote the mark ({@link System#nanoTime()}); only that thread uses it. */
    private long markedAt = System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(MARK_MILLIS);
    /** Set when the open asked for a flush ({@link #flushInBackground}); close waits for it. */
    private volatile boolean flushAsked;
    /** Set when open refused the database: close must not mark it clean. */
    private boolean refused;
    private Loss loss;
    private String pendingLoss;
    /** The owner's copy of the catalog's keys ({@link CatalogMirror}); null on a read-only store. */
    private final CatalogMirror mirror;

    RocksBackend(Path dir, boolean readOnly, DBOptions dbOptions, ColumnFamilyOptions cfOptions,
                  List<ColumnFamilyHandle> handles, RocksDB db, Durability durability, long groupedMillis,
                  NoSpaceWatch noSpace) {
        this.dir = dir;
        // RocksDB resumes after a full disk once its largest memtable, which the resuming flush may write, fits.
        this.space = new DiskSpace(dir, noSpace, cfOptions.writeBufferSize());
        this.scans = new Scans(db, dir);
        this.readOnly = readOnly;
        this.dbOptions = dbOptions;
        this.cfOptions = cfOptions;
        this.handles = handles;
        this.db = db;
        this.durability = durability;
        // handles.get(0) is RocksDB's default family, unused; the others follow Opener.FAMILIES, in Family's order.
        this.families = handles.subList(1, 1 + Family.values().length).toArray(new ColumnFamilyHandle[0]);
        this.writeOptions = new WriteOptions().setSync(durability == Durability.SYNC);
        this.group = durability == Durability.SYNC && !readOnly ? new GroupCommit(db, writeOptions) : null;
        this.mark = readOnly ? null : DurableMark.writer(dir, DurableMark.read(dir));
        if (!readOnly && durability != Durability.NONE) {
            syncer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "tablevault-wal-sync");
                t.setDaemon(true);
                return t;
            });
        } else {
            syncer = null;
        }
        this.mirror = readOnly ? null : CatalogMirror.load(this);
    }

    /**
     * How to open: {@code create} a new database; {@code readOnly}; the {@code durability} of writes;
     * {@code ownerHint} names the holder in a VAULT_LOCKED message; {@code writerMayBeLive} (read-only opens)
     * says another OS process may be appending to the log, so it is not scanned; {@code recover} opens at the
     * last consistent point even when durable writes were lost, and flushes that state (see {@link #loss()}).
     */
    public record Opening(boolean create, boolean readOnly, Durability durability, long groupedMillis,
                          String ownerHint, boolean writerMayBeLive, boolean recover) {
    }

    /**
     * Opens (or with {@code create}, creates) the database under {@code dbDir}.
     *
     * @throws TvStorageException if another OS process holds it, its files are damaged, it lost durable writes, or
     *                            on I/O errors
     */
    public static RocksBackend open(Path dbDir, boolean create, boolean readOnly, Durability durability,
                                    long groupedMillis, String ownerHint) {
        // A reader of this form cannot tell whether an owner is appending to the log, so it does not scan it.
        return open(dbDir, new Opening(create, readOnly, durability, groupedMillis, ownerHint, readOnly, false));
    }

    /**
     * Opens the database under {@code dbDir}. A database whose recovery would drop writes that were durable
     * ({@link Loss}) is refused with CORRUPTION unless {@link Opening#recover()}; see {@link Opener}.
     */
    public static RocksBackend open(Path dbDir, Opening how) {
        return Opener.open(dbDir, how);
    }

    /**
     * The database options a vault at {@code dbDir} opens with ({@code create}: a new one), without the listener
     * the store adds; the benchmarks open raw RocksDB with them. Replaying the bounded WAL ({@link #walOptions})
     * without a flush makes opening after a crash cost about the same however much was written before (P4).
     * Table files are opened on one thread unless there are many ({@link Opener#fileOpeningThreads}).
     */
    public static DBOptions dbOptions(Path dbDir, boolean create) {
        return walOptions(new DBOptions().setCreateIfMissing(create).setCreateMissingColumnFamilies(create)
                .setKeepLogFileNum(5).setAvoidFlushDuringRecovery(true)
                .setMaxFileOpeningThreads(create ? 1 : Opener.fileOpeningThreads(dbDir)));
    }

    /**
     * Sets the vault's WAL options on {@code o} (the benchmarks give raw RocksDB the same ones):
     * <ul>
     * <li>The WAL is bounded: past 4 MiB, the memtables it holds are flushed.</li>
     * <li>Obsolete WAL files are reused. An fdatasync after appending to a new file must also write the file's
     * size and block map; in a reused file it writes only the data. On the benchmark VM this cut a small
     * commit from about 240 to 170 µs. Point-in-time recovery tells a reused file's old records from new ones
     * by their sequence numbers.</li>
     * </ul>
     */
    public static DBOptions walOptions(DBOptions o) {
        return o.setMaxTotalWalSize(4L << 20).setRecycleLogFileNum(4);
    }

    @Override
    public String kind() {
        return "rocksdb";
    }

    @Override
    public String location() {
        return dir.toString();
    }

    /** False: one OS process owns the database, so batches carry no fence to check. */
    @Override
    public boolean sharedOwners() {
        return false;
    }

    @Override
    public boolean readOnly() {
        return readOnly;
    }

    @Override
    public Durability durability() {
        return durability;
    }

    public Path dir() {
        return dir;
    }

    /**
     * Commits {@code batch} atomically with the vault's durability, as {@link #write(WriteBatch)} does; its fence,
     * if any, is not checked and its run changes are ignored (see the class comment).
     */
    @Override
    public void write(Batch batch) {
        try (WriteBatch changes = changes(batch)) {
            try {
                commit(changes);
            } catch (RuntimeException | Error e) {
                if (mirror != null) {
                    mirror.invalidate(); // whether any of it reached RocksDB is not known for sure
                }
                throw e;
            }
        }
        if (mirror != null) {
            mirror.apply(batch, Family.META);
        }
        batch.written();
    }

    /** {@code batch}'s changes as a RocksDB batch; close it. */
    private WriteBatch changes(Batch batch) {
        WriteBatch changes = new WriteBatch();
        try {
            batch.forEachChange((family, key, value, rangeEnd) -> {
                try {
                    if (rangeEnd != null) {
                        changes.deleteRange(handle(family), key, rangeEnd);
                    } else if (value != null) {
                        changes.put(handle(family), key, value);
                    } else {
                        changes.delete(handle(family), key);
                    }
                } catch (RocksDBException e) {
                    throw new TvStorageException(ErrorCode.IO, "RocksDB: " + e.getMessage(), e);
                }
            });
            return changes;
        } catch (RuntimeException | Error e) {
            changes.close();
            throw e;
        }
    }

    /**
     * The owner's copy of the catalog's keys, or null on a read-only store or once it was dropped (see
     * {@link CatalogMirror}).
     */
    @Override
    public CatalogMirror mirror() {
        CatalogMirror m = mirror;
        return m != null && m.valid() ? m : null;
    }

    /**
     * Commits a batch atomically with the vault's durability.
     *
     * @throws TvStorageException {@link ErrorCode#DISK_FULL} when the disk is (or was, and RocksDB has not yet
     *         resumed) full, {@link ErrorCode#IO} on other I/O errors; nothing of the batch is written
     */
    public void write(WriteBatch batch) {
        if (mirror != null) {
            mirror.invalidate(); // its changes cannot be seen here
        }
        commit(batch);
    }

    private void commit(WriteBatch batch) {
        if (readOnly) {
            throw new TvStorageException(ErrorCode.READ_ONLY, "vault " + dir.getParent() + " is open read-only");
        }
        space.awaitResumed();
        long resumptions = space.resumptions();
        try {
            if (group != null) {
                group.write(batch);
            } else {
                db.write(writeOptions, batch);
            }
        } catch (RocksDBException e) {
            throw space.writeFailed("commit", resumptions, e);
        }
    }

    /** The column family of {@code family}, for the raw batches of tests and the benchmarks. */
    public ColumnFamilyHandle handle(Family family) {
        return families[family.ordinal()];
    }

    @Override
    public byte[] get(Family family, byte[] key) {
        try {
            return db.get(handle(family), key);
        } catch (RocksDBException e) {
            throw StoreErrors.toTv(e, "a read in " + dir);
        }
    }

    @Override
    public List<byte[]> getAll(Family family, List<byte[]> keys) {
        try (ReadOptions ro = new ReadOptions()) {
            return getAll(family, keys, ro);
        }
    }

    /** {@link #getAll(Family, List)} as {@code ro} sees the keys: one {@code multiGetAsList}. */
    List<byte[]> getAll(Family family, List<byte[]> keys, ReadOptions ro) {
        if (keys.isEmpty()) {
            return List.of(); // multiGetAsList asserts a key
        }
        try {
            return db.multiGetAsList(ro, Collections.nCopies(keys.size(), handle(family)), keys);
        } catch (RocksDBException e) {
            throw StoreErrors.toTv(e, "a read in " + dir);
        }
    }

    /** Visits keys with {@code prefix} in order until {@code visitor} returns false. */
    @Override
    public void scan(Family family, byte[] prefix, BiPredicate<byte[], byte[]> visitor) {
        try (ReadOptions ro = new ReadOptions()) {
            scan(handle(family), prefix, ro, visitor);
        }
    }

    void scan(ColumnFamilyHandle cf, byte[] prefix, ReadOptions ro, BiPredicate<byte[], byte[]> visitor) {
        scans.scan(cf, prefix, ro, visitor);
    }

    /**
     * Visits keys with {@code prefix} from {@code from} on, in order, until {@code visitor} returns false: a seek
     * straight past the tombstones of keys below {@code from}.
     */
    @Override
    public void scanFrom(Family family, byte[] prefix, byte[] from, BiPredicate<byte[], byte[]> visitor) {
        try (ReadOptions ro = new ReadOptions()) {
            scans.scan(handle(family), prefix, from, ro, visitor);
        }
    }

    void scanFrom(ColumnFamilyHandle cf, byte[] prefix, byte[] from, ReadOptions ro,
                  BiPredicate<byte[], byte[]> visitor) {
        scans.scan(cf, prefix, from, ro, visitor);
    }

    /** Visits keys with {@code prefix} newest (largest) first until {@code visitor} returns false. */
    @Override
    public void scanBackwards(Family family, byte[] prefix, BiPredicate<byte[], byte[]> visitor) {
        scans.scanBackwards(handle(family), prefix, visitor);
    }

    void scanBackwards(ColumnFamilyHandle cf, byte[] prefix, ReadOptions ro, BiPredicate<byte[], byte[]> visitor) {
        scans.scanBackwards(cf, prefix, ro, visitor);
    }

    /** The largest key in {@code cf}, or null when it is empty. */
    @Override
    public byte[] lastKey(Family family) {
        return scans.lastKey(handle(family));
    }

    /** Throws unless {@code it} stopped because it ran out of keys; see {@link Scans#checkStatus}. */
    void checkStatus(RocksIterator it) {
        scans.checkStatus(it);
    }

    /** A consistent read view; close it. */
    @Override
    public RocksView view() {
        return new RocksView(this);
    }

    RocksDB db() {
        return db;
    }

    @Override
    public long newInstanceKey() {
        return instanceKeys.getAndIncrement();
    }

    /**
     * Makes {@link #newInstanceKey()} return keys above {@code largestInUse}: the one owning process counts in
     * memory, seeded at open from the largest key the vault's records use (RocksDB has no sequence of its own).
     */
    public void instanceKeysAfter(long largestInUse) {
        instanceKeys.accumulateAndGet(largestInUse + 1, Math::max);
    }

    /** Forces the write-ahead log to disk. */
    @Override
    public void sync() {
        try {
            db.syncWal();
        } catch (RocksDBException e) {
            throw space.failure("WAL sync", e);
        }
    }

    private void syncQuietly() {
        try {
            // Every write a SYNC store returned was synced; under GROUPED the sequence read before the sync is.
            long sequence = db.getLatestSequenceNumber();
            if (durability == Durability.GROUPED) {
                db.syncWal();
            }
            long now = System.nanoTime();
            if (now - markedAt >= TimeUnit.MILLISECONDS.toNanos(MARK_MILLIS)) {
                markDurable(sequence, false);
                markedAt = now;
            }
        } catch (RocksDBException | TvStorageException e) {
            // The next commit or close reports I/O trouble to a caller; a timer thread has nobody to tell.
            LOG.warn("WAL sync or durable mark failed in {}: {}", dir, e.getMessage());
        }
    }

    /** Records {@code sequence} as durable (and, with {@code clean}, as the whole database) unless known already. */
    void markDurable(long sequence, boolean clean) {
        synchronized (mark) {
            if (sequence == marked && !clean) {
                return;
            }
            try {
                mark.write(sequence, clean, durability);
                marked = sequence;
            } catch (IOException e) {
                throw FileErrors.fileFailure(dir.getParent(), "cannot write " + dir.resolve(DurableMark.FILE), e);
            }
        }
    }

    /** Records what the open found; {@code loss} or {@code pendingLoss} set means an open to recover. */
    void opened(Loss loss, String pendingLoss) {
        this.loss = loss;
        this.pendingLoss = pendingLoss;
    }

    /** Keeps {@link #close()} from marking a database the open refused as cleanly closed. */
    void refuse() {
        refused = true;
    }

    /** Starts the owner's background work: WAL syncs (GROUPED) and the durable mark. */
    void startSyncing(long groupedMillis) {
        if (syncer != null) {
            long every = durability == Durability.GROUPED ? groupedMillis : MARK_MILLIS;
            syncer.scheduleWithFixedDelay(this::syncQuietly, every, every, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Flushes every family in the background (the open does not wait; close finishes it, as RocksDB drops a
     * flush that has not started when the database closes): each open starts a new WAL file and replays the old
     * ones into memtables without a flush, so until something flushes them every open keeps one more. A failure is
     * logged: the old files stay, and nothing is lost.
     */
    void flushInBackground() {
        flushAsked = true;
        try (FlushOptions fo = new FlushOptions().setWaitForFlush(false)) {
            db.flush(fo, handles);
        } catch (RocksDBException e) {
            LOG.warn("could not start a flush of {} (its old WAL files stay until one succeeds): {}", dir,
                    e.getMessage());
        }
    }

    /** RocksDB's last sequence number. */
    public long latestSequence() {
        return db.getLatestSequenceNumber();
    }

    /** The durable writes an open with {@link Opening#recover()} gave up, or null when nothing was lost. */
    public RecoveryReport lossReport(String reportFile) {
        if (loss == null && pendingLoss == null) {
            return null;
        }
        if (loss == null) {
            // Found by an earlier open, whose refusal left only the description.
            return new RecoveryReport(true, pendingLoss, db.getLatestSequenceNumber(), -1, 0, List.of(), List.of(),
                    List.of(), reportFile);
        }
        return LossReport.of(loss, dir, handle(Family.META).getID(), handle(Family.PROC).getID(), reportFile);
    }

    /**
     * Makes a recovered state the durable one: flushes every family (so the damaged log is no longer replayed),
     * clears the pending loss and marks the recovered sequence number.
     */
    public void acceptRecovery() {
        try (FlushOptions fo = new FlushOptions().setWaitForFlush(true)) {
            db.flush(fo, handles);
            PendingLoss.clear(dir);
            loss = null;
            pendingLoss = null;
            markDurable(db.getLatestSequenceNumber(), false);
        } catch (RocksDBException e) {
            throw StoreErrors.toTv(e, "cannot flush the recovered state of " + dir);
        } catch (IOException e) {
            throw new TvStorageException(ErrorCode.IO, "cannot clear " + dir.resolve(PendingLoss.FILE) + ": " + e, e);
        }
    }

    /**
     * Verifies every table file's checksums. RocksDB reads each file again by name, so on a read-only handle this
     * checks a freshly opened read-only view, again while the owner replaces files under it (up to
     * {@link FileSet#ATTEMPTS} times): a file compacted away since the view opened is no damage.
     */
    @Override
    public void verifyStorage() {
        if (!readOnly) {
            try {
                db.verifyChecksum();
            } catch (RocksDBException e) {
                throw StoreErrors.toTv(e, "checksum verification of " + dir);
            }
            return;
        }
        for (int attempt = 1; ; attempt++) {
            FileSet before = FileSet.of(dir);
            try (RocksBackend fresh = open(dir, false, true, durability, 0, "")) {
                fresh.db.verifyChecksum();
                return;
            } catch (RocksDBException e) {
                if (before.equals(FileSet.of(dir))) {
                    throw StoreErrors.toTv(e, "checksum verification of " + dir);
                }
                if (attempt == FileSet.ATTEMPTS || !FileSet.backOff(attempt)) {
                    // Not shown to be damage: the owner replaced files during every attempt.
                    throw new TvStorageException(ErrorCode.IO, "checksum verification of " + dir + " raced with the"
                            + " owner, which changed the database's files during each of " + attempt + " attempts;"
                            + " run it again (last error: " + e.getMessage() + ")", e);
                }
                LOG.debug("checksum verification of {} raced with the owner, trying again: {}", dir, e.getMessage());
            }
        }
    }

    /** RocksDB's table files over all column families, in bytes. */
    @Override
    public long dataBytes() {
        long total = 0;
        try {
            for (ColumnFamilyHandle h : handles) {
                total += db.getLongProperty(h, "rocksdb.total-sst-files-size");
            }
        } catch (RocksDBException e) {
            throw new TvStorageException(ErrorCode.IO, "cannot read table file sizes in " + dir + ": "
                    + e.getMessage(), e);
        }
        return total;
    }

    /** The write-ahead log files in the database folder (reused ones included), in bytes. */
    @Override
    public long logBytes() {
        try (Stream<Path> files = Files.list(dir)) {
            long total = 0;
            for (Path f : files.filter(f -> f.getFileName().toString().endsWith(".log")).toList()) {
                total += Files.size(f);
            }
            return total;
        } catch (IOException e) {
            throw new TvStorageException(ErrorCode.IO, "cannot list the WAL files in " + dir + ": " + e, e);
        }
    }

    @Override
    public void close() {
        if (syncer != null) {
            syncer.shutdownNow();
            try {
                syncer.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (flushAsked) {
            try (FlushOptions fo = new FlushOptions().setWaitForFlush(true)) {
                db.flush(fo, handles);
            } catch (RocksDBException e) {
                // Only housekeeping: the WAL still holds what the flush would have written; sync and mark below.
                LOG.warn("final flush of {} failed (its old WAL files stay until one succeeds): {}", dir,
                        e.getMessage());
            }
        }
        try {
            if (!readOnly && durability != Durability.SYNC) {
                db.syncWal();
            }
            if (!readOnly && !refused) {
                markDurable(db.getLatestSequenceNumber(), true);
            }
        } catch (RocksDBException | TvStorageException e) {
            LOG.warn("final WAL sync or durable mark failed in {}: {}", dir, e.getMessage());
        } finally {
            writeOptions.close();
            handles.forEach(ColumnFamilyHandle::close);
            db.close();
            cfOptions.close();
            dbOptions.close();
            space.close();
        }
    }
}
