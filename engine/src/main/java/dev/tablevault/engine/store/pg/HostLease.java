package dev.tablevault.engine.store.pg;

import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.TvProcessException;
import dev.tablevault.api.TvStorageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * One host's lease on a shared vault: its {@code tv_hosts} row, renewed by a daemon heartbeat thread
 * ({@code tv-lease-<hostId>}) every {@link LeaseTiming#renewEvery()} to {@code lease_until = now() + ttl}, where
 * {@code now()} is the <em>database</em> clock: the sweeper compares {@code lease_until} with the same clock, so the
 * hosts' clocks never need to agree with each other or with the database's.
 *
 * <p><b>Self-fencing.</b> {@link #mayCommit()} is true only while the local monotonic clock reads less than
 * {@code s + ttl − margin}, where {@code s} is the local time read <em>before</em> sending the last renewal that
 * succeeded. Why that is safe: the database evaluated {@code now()} after the request left, so it set
 * {@code lease_until ≥ s + ttl} in real time, however late the answer came back. A host that stops committing at
 * {@code s + ttl − margin} by its own clock has therefore stopped before its lease ends, provided its clock
 * <em>rate</em> differs from the database's by less than {@code margin} over {@code ttl} (absolute offsets do not
 * matter). A commit that passed the check just before the deadline and lands after the lease ended is not lost
 * safety: its fence check holds the run's row, and the sweeper's handover waits for it (see {@link Sweeper}); a
 * process stopped for longer (GC pause, SIGSTOP) is caught by the fence instead.
 *
 * <p><b>Losing the lease.</b> A renewal that updates no row means the host was declared dead (swept) and its
 * processes handed over: the lease reports {@link #lost()}, calls the listener once, and never renews or allows a
 * commit under that epoch again. The engine then drops its processes and may {@link #register()} again under a new
 * epoch. A renewal that fails (database unreachable) is retried every interval; {@link #mayCommit()} turns false by
 * itself when the window passes.
 *
 * <p><b>Close</b> stops and joins the heartbeat thread, then declares the host dead at once (state DEAD, epoch + 1,
 * {@code lease_until = now()}) and orphans, with bumped fences, whatever runs it still owns, so other hosts can
 * claim them immediately instead of after the ttl. The engine must have stopped committing before it closes.
 *
 * <p>The data source should bound a dead connection (pgjdbc's {@code socketTimeout}, about the ttl): a renewal
 * stuck on one cannot make the host commit (the window closes by itself), but {@link #close()} waits for it.
 *
 * <p>The host id must be unique among running hosts (for example {@code hostname:pid:start}): registering takes the
 * row over, bumping the epoch and orphaning the runs of the row's previous incarnation.
 *
 * <p>Thread safe.
 */
final class HostLease implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HostLease.class);
    private static final String REGISTER = "INSERT INTO tv_hosts (host_id, os_pid, boot_id, epoch, lease_until, state)"
            + " VALUES (?, ?, ?, 1, now() + ? * interval '1 millisecond', 'LIVE') ON CONFLICT (host_id) DO UPDATE"
            + " SET os_pid = excluded.os_pid, boot_id = excluded.boot_id, epoch = tv_hosts.epoch + 1,"
            + " lease_until = excluded.lease_until, state = 'LIVE', started = now() RETURNING epoch";
    private static final String RENEW = "UPDATE tv_hosts SET lease_until = now() + ? * interval '1 millisecond'"
            + " WHERE host_id = ? AND epoch = ? AND state = 'LIVE'";
    private static final String RELEASE = "UPDATE tv_hosts SET state = 'DEAD', epoch = epoch + 1,"
            + " lease_until = now() WHERE host_id = ? AND epoch = ? AND state = 'LIVE'";

    /** Told once per epoch, on the heartbeat thread, that the host was declared dead under {@code epoch}. */
    interface Listener {
        void lost(String hostId, long epoch);
    }

    /** The epoch held, the local time before the last successful renewal was sent, and whether it was lost. */
    private record Held(long epoch, long renewedAt, boolean lost) {
    }

    private final DataSource db;
    private final String hostId;
    private final LeaseTiming timing;
    private final LongSupplier nanos;
    private final Listener listener;
    private final boolean beats;
    private final AtomicReference<Held> held = new AtomicReference<>();
    private volatile SQLException lastFailure;
    private volatile boolean closed;
    private Ticker heartbeat; // guarded by this

    /** A lease not yet registered, on the system's monotonic clock, with its heartbeat thread. */
    HostLease(DataSource db, String hostId, LeaseTiming timing, Listener listener) {
        this(db, hostId, timing, System::nanoTime, listener, true);
    }

    /**
     * A lease not yet registered.
     *
     * @param nanos the local monotonic clock (tests inject their own)
     * @param beats whether {@link #register()} starts the heartbeat thread; without it the caller renews (tests
     *              that drive time by hand)
     */
    HostLease(DataSource db, String hostId, LeaseTiming timing, LongSupplier nanos, Listener listener, boolean beats) {
        this.db = db;
        this.hostId = hostId;
        this.timing = timing;
        this.nanos = nanos;
        this.listener = listener;
        this.beats = beats;
    }

    String hostId() {
        return hostId;
    }

    /**
     * Inserts or takes over this host's row (epoch = previous + 1, LIVE, lease from the database clock), orphans
     * the runs a previous incarnation left owned by this host id, and starts the heartbeat if it is not running.
     * Allowed first, and again after the lease was {@link #lost()}.
     *
     * @return the new epoch
     */
    synchronized long register() {
        if (closed) {
            throw new TvStorageException(ErrorCode.VAULT_CLOSED, "the lease of host " + hostId + " is closed");
        }
        Held h = held.get();
        if (h != null && !h.lost()) {
            throw new TvProcessException(ErrorCode.PROCESS_STATE, "host " + hostId + " holds its lease already"
                    + " (epoch " + h.epoch() + "): register again only after it was lost");
        }
        String bootId = bootId();
        long start = nanos.getAsLong();
        long epoch = HostSql.transaction(db, "registering host " + hostId, c -> {
            long e;
            try (PreparedStatement s = c.prepareStatement(REGISTER)) {
                s.setString(1, hostId);
                s.setLong(2, ProcessHandle.current().pid());
                s.setString(3, bootId);
                s.setLong(4, timing.ttl().toMillis());
                try (ResultSet r = s.executeQuery()) {
                    r.next();
                    e = r.getLong(1);
                }
            }
            List<String> orphaned = HostSql.orphanRunsOf(c, hostId);
            if (!orphaned.isEmpty()) {
                LOG.warn("host {} registered under epoch {} and handed over {} runs of its previous incarnation: {}",
                        hostId, e, orphaned.size(), orphaned);
            }
            return e;
        });
        held.set(new Held(epoch, start, false));
        lastFailure = null;
        if (beats && heartbeat == null) {
            heartbeat = Ticker.start("tv-lease-" + hostId, timing.renewEvery().toNanos(), 0, this::beat);
        }
        return epoch;
    }

    /** True while this host may commit under its lease: registered, not lost, not closed, inside the window. */
    boolean mayCommit() {
        Held h = held.get();
        return h != null && !h.lost() && !closed && nanos.getAsLong() - h.renewedAt() < timing.commitWindowNanos();
    }

    /** Returns if {@link #mayCommit()}, else throws {@link ErrorCode#PROCESS_FENCED} saying why. */
    void checkLease() {
        Held h = held.get();
        if (mayCommit()) {
            return;
        }
        String why;
        if (closed) {
            why = "its lease is closed";
        } else if (h == null) {
            why = "it has not registered";
        } else if (h.lost()) {
            why = "it was declared dead under epoch " + h.epoch() + " and its processes were handed over";
        } else {
            why = "its lease was last renewed " + TimeUnit.NANOSECONDS.toMillis(nanos.getAsLong() - h.renewedAt())
                    + " ms ago, past the commit window of " + TimeUnit.NANOSECONDS.toMillis(timing.commitWindowNanos())
                    + " ms (ttl " + timing.ttl().toMillis() + " ms minus margin " + timing.margin().toMillis() + " ms)";
        }
        throw new TvProcessException(ErrorCode.PROCESS_FENCED, "host " + hostId + " may not commit: " + why
                + "; nothing was written", lastFailure);
    }

    /** The epoch last registered, or 0 before the first registration. */
    long epoch() {
        Held h = held.get();
        return h == null ? 0 : h.epoch();
    }

    /** True once a renewal found the host declared dead under its current epoch (until it registers again). */
    boolean lost() {
        Held h = held.get();
        return h != null && h.lost();
    }

    /**
     * One renewal now (the heartbeat calls this): extends the lease from the database clock and moves the commit
     * window, or reports the lease lost when the row is no longer LIVE under this epoch. A database error is kept
     * as the cause {@link #checkLease()} reports, logged, and retried at the next beat.
     *
     * @return whether the lease was renewed
     */
    boolean renew() {
        Held h = held.get();
        if (h == null || h.lost() || closed) {
            return false;
        }
        long start = nanos.getAsLong();
        int rows;
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(RENEW)) {
            c.setAutoCommit(true);
            s.setQueryTimeout((int) Math.max(1, timing.ttl().toSeconds()));
            s.setLong(1, timing.ttl().toMillis());
            s.setString(2, hostId);
            s.setLong(3, h.epoch());
            rows = s.executeUpdate();
        } catch (SQLException e) {
            lastFailure = e;
            LOG.warn("host {} could not renew its lease (epoch {}); retrying every {} ms: {}", hostId, h.epoch(),
                    timing.renewEvery().toMillis(), e.toString());
            return false;
        }
        while (true) {
            Held cur = held.get();
            if (cur.epoch() != h.epoch() || cur.lost()) {
                return false; // registered again meanwhile: this answer is about an older epoch
            }
            Held next = rows == 1
                    ? new Held(cur.epoch(), start - cur.renewedAt() > 0 ? start : cur.renewedAt(), false)
                    : new Held(cur.epoch(), cur.renewedAt(), true);
            if (held.compareAndSet(cur, next)) {
                break;
            }
        }
        if (rows == 1) {
            lastFailure = null;
            return true;
        }
        LOG.warn("host {} was declared dead under epoch {}: its processes were handed over to other hosts", hostId,
                h.epoch());
        listener.lost(hostId, h.epoch());
        return false;
    }

    private void beat() {
        try {
            renew();
        } catch (RuntimeException e) {
            // the listener failed: keep the heartbeat alive for a later registration, and say so loudly
            LOG.error("host {}: the lease listener failed", hostId, e);
        }
    }

    /**
     * Stops and joins the heartbeat thread, then declares this host dead at once and orphans the runs it still owns
     * (fences bumped), so other hosts can claim them now. Idempotent. If the database cannot be reached, throws
     * {@link ErrorCode#IO}; the lease then simply expires and a sweeper hands the runs over after the ttl.
     */
    @Override
    public void close() {
        Ticker t;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            t = heartbeat;
            heartbeat = null;
        }
        if (t != null) {
            t.close();
        }
        Held h = held.get();
        if (h == null || h.lost()) {
            return;
        }
        List<String> orphaned = HostSql.transaction(db, "releasing the lease of host " + hostId, c -> {
            try (PreparedStatement s = c.prepareStatement(RELEASE)) {
                s.setString(1, hostId);
                s.setLong(2, h.epoch());
                return s.executeUpdate() == 1 ? HostSql.orphanRunsOf(c, hostId) : List.<String>of();
            }
        });
        if (!orphaned.isEmpty()) {
            LOG.info("host {} closed its lease and handed over {} runs: {}", hostId, orphaned.size(), orphaned);
        }
    }

    /** The machine's boot id, which tells a pid reused after a reboot apart from the same process. */
    private static String bootId() {
        Path p = Path.of("/proc/sys/kernel/random/boot_id");
        try {
            return Files.isReadable(p) ? Files.readString(p).trim() : "unknown";
        } catch (IOException e) {
            throw new TvStorageException(ErrorCode.IO, "cannot read the boot id from " + p + ": " + e, e);
        }
    }
}
