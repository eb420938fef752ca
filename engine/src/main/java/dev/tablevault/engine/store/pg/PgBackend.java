package dev.tablevault.engine.store.pg;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import dev.tablevault.api.Durability;
import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.TvArgumentException;
import dev.tablevault.api.TvStorageException;
import dev.tablevault.engine.store.CatalogMirror;
import dev.tablevault.engine.store.Backend;
import dev.tablevault.engine.store.Batch;
import dev.tablevault.engine.store.Family;
import dev.tablevault.engine.store.ReadView;
import dev.tablevault.engine.lock.LockManager;
import dev.tablevault.engine.lock.LockTable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiPredicate;

/**
 * A vault in a PostgreSQL database, shared by every host that opens it: the four families as tables of
 * {@code (k bytea, v bytea)}, written through a HikariCP pool. A {@link Batch} is one transaction: the fence check
 * first, then the changes ({@link PgWrite}), then the commit. See docs/ARCHITECTURE.md, "PostgreSQL backend".
 *
 * <p>Durability: {@code SYNC} commits synchronously (the server's {@code synchronous_commit}, forced {@code on} where
 * the server's default is {@code off}); {@code GROUPED} and {@code NONE} run each write transaction with
 * {@code SET LOCAL synchronous_commit = off}: a server crash may lose the last few hundred milliseconds of
 * acknowledged commits ({@code wal_writer_delay} × 3) but never corrupts anything. {@link #sync()} commits one
 * transaction synchronously, which flushes the WAL of every earlier commit.
 *
 * <p>Thread safe.
 */
public final class PgBackend implements Backend {
    /** The default bound on the bytes one batch sends. */
    public static final long DEFAULT_MAX_BATCH_BYTES = 64L << 20;
    public static final int DEFAULT_POOL_SIZE = 8;
    private static final Logger LOG = LoggerFactory.getLogger(PgBackend.class);

    /** Commits a write transaction; a test replaces it to lose the acknowledgement. */
    interface Committer {
        void commit(Connection c) throws SQLException;
    }

    private final HikariDataSource pool;
    private final String location;
    private final boolean readOnly;
    private final Durability durability;
    private final long maxBatchBytes;
    /** The statement each write transaction starts with to get {@link #durability}, or null. */
    private final String commitMode;
    private final PgReads latest = new PgReads() {
        @Override
        <T> T query(String doing, Query<T> q) {
            Connection c = connection();
            T out;
            try {
                out = q.run(c);
            } catch (SQLException e) {
                discard(c, e);
                throw PgErrors.of(e, location, doing);
            } catch (RuntimeException e) {
                release(c);
                throw e;
            }
            release(c);
            return out;
        }
    };
    volatile Committer committer = Connection::commit;
    /** This host's lease once {@link #registerHost registered}: every write needs it to be live. */
    private volatile HostLease lease;

    private PgBackend(HikariDataSource pool, String location, boolean readOnly, Durability durability,
                      long maxBatchBytes, String commitMode) {
        this.pool = pool;
        this.location = location;
        this.readOnly = readOnly;
        this.durability = durability;
        this.maxBatchBytes = maxBatchBytes;
        this.commitMode = commitMode;
    }

    /** {@link #open(String, boolean, boolean, Durability, int, long)} with the default pool size and batch bound. */
    public static PgBackend open(String url, boolean create, boolean readOnly, Durability durability) {
        return open(url, create, readOnly, durability, DEFAULT_POOL_SIZE, DEFAULT_MAX_BATCH_BYTES);
    }

    /**
     * Connects to the vault at {@code url} ({@code postgresql://user[:password]@host[:port]/database} or a
     * {@code jdbc:postgresql://} URL) and, unless {@code readOnly}, applies the schema migrations it lacks.
     *
     * @param create        whether a database without the vault's tables may be given them
     * @param poolSize      the most connections this backend holds open
     * @param maxBatchBytes the most bytes (keys, values, range bounds) one {@link #write} may send
     * @throws TvStorageException {@code IO} when the server cannot be reached, {@code NOT_FOUND} when there is no
     *         vault and {@code create} is false, {@code UNSUPPORTED_FORMAT} for a schema this engine does not know
     */
    public static PgBackend open(String url, boolean create, boolean readOnly, Durability durability, int poolSize,
                                 long maxBatchBytes) {
        PgUrl u = PgUrl.parse(url);
        if (poolSize < 1 || maxBatchBytes < 1) {
            throw new TvArgumentException(ErrorCode.BAD_ARGUMENT, "pool size " + poolSize + " and batch bound "
                    + maxBatchBytes + " must both be at least 1");
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(u.jdbcUrl());
        config.setUsername(u.user());
        config.setPassword(u.password());
        config.setPoolName("tv-pg");
        config.setMaximumPoolSize(poolSize);
        config.setMinimumIdle(1);
        config.setReadOnly(readOnly);
        if (readOnly) {
            // pgjdbc makes only non-autocommit transactions read-only; this covers every statement
            config.setConnectionInitSql("SET default_transaction_read_only = on");
        }
        config.setConnectionTimeout(10_000);
        config.setInitializationFailTimeout(1);
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(config);
        } catch (HikariPool.PoolInitializationException e) {
            throw cannotConnect(u.location(), e);
        }
        try (Connection c = pool.getConnection()) {
            int version = Schema.current(c);
            if (version == 0 && !create) {
                throw new TvStorageException(ErrorCode.NOT_FOUND, "there is no vault at " + u.location() + " (no"
                        + " tv_schema table); create one there, or check the database name");
            }
            if (readOnly) {
                Schema.requireCurrent(version, u.location());
            } else {
                Schema.migrate(c, u.location());
            }
            String mode = durability != Durability.SYNC ? "SET LOCAL synchronous_commit = off"
                    : serverCommitsAsync(c) ? "SET LOCAL synchronous_commit = on" : null;
            return new PgBackend(pool, u.location(), readOnly, durability, maxBatchBytes, mode);
        } catch (SQLException e) {
            pool.close();
            throw PgErrors.of(e, u.location(), "opening the vault");
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    private static boolean serverCommitsAsync(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SHOW synchronous_commit")) {
            r.next();
            return "off".equals(r.getString(1));
        }
    }

    private static TvStorageException cannotConnect(String location, RuntimeException e) {
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        return new TvStorageException(ErrorCode.IO, "cannot connect to " + location + ": " + cause.getMessage()
                + "; check that the server is running and reachable, and the user, password and database name", e);
    }

    @Override
    public String kind() {
        return "postgresql";
    }

    @Override
    public String location() {
        return location;
    }

    @Override
    public boolean readOnly() {
        return readOnly;
    }

    @Override
    public Durability durability() {
        return durability;
    }

    @Override
    public boolean sharedOwners() {
        return true;
    }

    @Override
    public CatalogMirror mirror() {
        return null;
    }

    @Override
    public long maxBatchBytes() {
        return maxBatchBytes;
    }

    @Override
    public byte[] get(Family family, byte[] key) {
        return latest.get(family, key);
    }

    @Override
    public List<byte[]> getAll(Family family, List<byte[]> keys) {
        return latest.getAll(family, keys);
    }

    @Override
    public void scan(Family family, byte[] prefix, BiPredicate<byte[], byte[]> visitor) {
        latest.scan(family, prefix, visitor);
    }

    @Override
    public void scanFrom(Family family, byte[] prefix, byte[] from,
                         BiPredicate<byte[], byte[]> visitor) {
        latest.scanFrom(family, prefix, from, visitor);
    }

    @Override
    public void scanBackwards(Family family, byte[] prefix, BiPredicate<byte[], byte[]> visitor) {
        latest.scanBackwards(family, prefix, visitor);
    }

    @Override
    public byte[] lastKey(Family family) {
        return latest.lastKey(family);
    }

    @Override
    public ReadView view() {
        return PgView.open(this);
    }

    /**
     * Commits {@code batch} as one transaction: {@code SET LOCAL synchronous_commit} where the durability needs it,
     * the batch's run starts, the fence check ({@link Fence#check}, which also holds the process row's lock until the
     * commit, so a takeover waits for it or precedes it), its run pauses and ends, the changes, then {@code COMMIT}. A commit
     * whose answer is lost with the connection is {@code COMMIT_UNKNOWN}; it is never retried here.
     */
    @Override
    public void write(Batch batch) {
        if (readOnly) {
            throw new TvStorageException(ErrorCode.READ_ONLY, "the vault at " + location + " is open read-only");
        }
        HostLease l = lease;
        if (l != null) {
            l.checkLease();
        }
        long bytes = batch.bytes();
        if (bytes > maxBatchBytes) {
            throw new TvArgumentException(ErrorCode.BAD_ARGUMENT, "a batch of " + bytes + " bytes is above the bound"
                    + " of " + maxBatchBytes + " bytes per transaction on " + location + "; write it in smaller"
                    + " batches");
        }
        if (batch.size() == 0 && batch.fencedProcess() == null && batch.runChanges().isEmpty()) {
            batch.written();
            return;
        }
        Connection c = connection();
        try {
            c.setAutoCommit(false);
            if (commitMode != null) {
                try (Statement s = c.createStatement()) {
                    s.execute(commitMode);
                }
            }
            if (batch.fencedProcess() != null) {
                Fence.check(c, batch.fencedProcess(), batch.fence());
            }
            PgRuns.apply(c, batch);
            PgWrite.apply(c, batch);
        } catch (SQLException e) {
            throw rollBack(c, PgErrors.of(e, location, "writing a batch"));
        } catch (RuntimeException e) {
            throw rollBack(c, e);
        }
        try {
            committer.commit(c);
        } catch (SQLException e) {
            if (PgErrors.connectionLost(e, c)) {
                discard(c, e);
                throw new TvStorageException(ErrorCode.COMMIT_UNKNOWN, "the connection to " + location + " was lost"
                        + " while committing a batch of " + batch.size() + " changes" + (batch.fencedProcess() == null
                        ? "" : " of process " + batch.fencedProcess()) + ", so whether it was written is unknown;"
                        + " read what it wrote to find out (" + e.getMessage() + ")", e);
            }
            throw rollBack(c, PgErrors.of(e, location, "committing a batch"));
        }
        release(c);
        batch.written();
    }

    /** This host's lease, or {@code IllegalStateException} naming {@code what} when none is registered. */
    HostLease requireLease(String what) {
        HostLease l = lease;
        if (l == null) {
            throw new IllegalStateException("no host is registered on " + location + " to " + what);
        }
        return l;
    }

    /** See {@link PgRuns#claim}. */
    @Override
    public long claimRun(String processId) {
        return PgRuns.claim(this, pool, processId);
    }

    @Override
    public void sweep() {
        new Sweeper(pool).sweep();
    }

    @Override
    public List<String> sweepOrphans(int max, Set<String> skip) {
        sweep();
        return latest.query("listing orphaned processes", c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT pid FROM tv_runs WHERE state = 'ORPHANED'"
                    + " AND NOT (pid = ANY (?)) ORDER BY updated, pid LIMIT ?")) {
                s.setArray(1, c.createArrayOf("text", skip.toArray()));
                s.setInt(2, max);
                List<String> out = new ArrayList<>();
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        out.add(r.getString(1));
                    }
                }
                return out;
            }
        });
    }

    /** Lock rows every host of the vault sees ({@link PgLockTable}). */
    @Override
    public LockTable lockTable(LockManager.Holders holders) {
        return new PgLockTable(this, pool, holders);
    }

    /** See {@link PgRuns#all}. */
    @Override
    public Map<String, Run> runs() {
        return PgRuns.all(this);
    }

    /** Rolls back {@code c}'s transaction and returns it to the pool (or evicts it), then returns {@code e}. */
    private RuntimeException rollBack(Connection c, RuntimeException e) {
        try {
            c.rollback();
            release(c);
        } catch (SQLException r) {
            e.addSuppressed(r);
            discard(c, r);
        }
        return e;
    }

    /** The next value of the vault's {@code tv_instance_key} sequence, which every host draws from. */
    @Override
    public long newInstanceKey() {
        return latest.query("taking an instance key", c -> {
            try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT nextval('tv_instance_key')")) {
                r.next();
                return r.getLong(1);
            }
        });
    }

    /**
     * Registers this host's lease on the vault and makes every later {@link #write} check it first (a host whose
     * lease is lost or lapsed writes nothing: {@code PROCESS_FENCED}); {@link #close()} releases it. Refuses with
     * {@code VAULT_LOCKED} while {@code hostId} holds a live lease already ({@link Registration}).
     */
    public void registerHost(String hostId, java.time.Duration ttl) {
        if (readOnly || lease != null) {
            throw new IllegalStateException("a read-only backend, or one with a host registered, registers no host");
        }
        lease = Registration.register(pool, location, hostId, ttl);
    }

    /** Runs {@code q} on a pooled connection; for the coordination tables ({@link PgHosts}). */
    <T> T latestQuery(String doing, PgReads.Query<T> q) {
        return latest.query(doing, q);
    }

    /** This host's lease, or null (read-only, or none registered). */
    HostLease lease() {
        return lease;
    }

    @Override
    public void sync() {
        if (readOnly) {
            return;
        }
        Connection c = connection();
        try {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                // an xid makes the commit write (and so flush) a commit record, and the WAL before it
                s.execute("SELECT set_config('synchronous_commit', 'on', true), txid_current()");
            }
            c.commit();
            release(c);
        } catch (SQLException e) {
            discard(c, e);
            throw PgErrors.of(e, location, "flushing the write-ahead log");
        }
    }

    /** See {@link PgStats#verify}. */
    @Override
    public void verifyStorage() {
        PgStats.verify(latest);
    }

    @Override
    public long dataBytes() {
        return PgStats.dataBytes(latest);
    }

    /** See {@link PgStats#logBytes}. */
    @Override
    public long logBytes() {
        return PgStats.logBytes(this);
    }

    /** A pooled connection in autocommit mode. */
    Connection connection() {
        try {
            return pool.getConnection();
        } catch (SQLException e) {
            throw new TvStorageException(ErrorCode.IO, "cannot get a connection to " + location + ": "
                    + e.getMessage() + "; check that the server is running and reachable from here", e);
        }
    }

    /** Returns {@code c} to the pool. */
    void release(Connection c) {
        try {
            c.close();
        } catch (SQLException e) {
            discard(c, e);
        }
    }

    /** Evicts {@code c} from the pool after {@code cause}, so no broken connection is handed out again. */
    void discard(Connection c, SQLException cause) {
        LOG.debug("dropping a connection to {} after {}", location, cause.toString());
        pool.evictConnection(c);
    }

    /** Active connections: 0 once every view and call has returned its own. For tests and {@code tv stats}. */
    int activeConnections() {
        return pool.getHikariPoolMXBean().getActiveConnections();
    }

    @Override
    public void close() {
        HostLease l = lease;
        try {
            if (l != null) {
                l.close();
            }
        } finally {
            pool.close();
        }
    }
}
