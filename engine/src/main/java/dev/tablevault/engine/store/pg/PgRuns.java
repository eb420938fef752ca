package dev.tablevault.engine.store.pg;

import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.TvProcessException;
import dev.tablevault.engine.store.Backend;
import dev.tablevault.engine.store.Batch;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * The engine's process runs on {@link PgBackend}: a batch's run changes, the claim before a resume, and the list of
 * runs {@code tv ps} shows.
 */
final class PgRuns {
    private PgRuns() {
    }

    /**
     * Applies {@code batch}'s pauses and ends on {@code c}, inside the batch's transaction after its fence check, with
     * {@link Claims}' statements, each fenced itself.
     */
    static void apply(Connection c, Batch batch) throws SQLException {
        for (Batch.RunChange r : batch.runChanges()) {
            switch (r.kind()) {
                case PAUSE -> Claims.pause(c, r.pid(), r.fence());
                case END -> Claims.end(c, r.pid(), r.fence());
            }
        }
    }

    /**
     * Begins the run of new process {@code pid} (a sub-process of {@code parent}, or null) for this host: RUNNING,
     * fence 1, not yet persisted, so its lock rows have a run and other hosts see who holds them.
     *
     * @throws TvProcessException {@code PROCESS_STATE} when a run of that id exists (another host runs a process with
     *         it), {@code PROCESS_FENCED} when this host's lease is lost
     */
    static void begin(PgBackend backend, String pid, String parent) {
        HostLease l = backend.requireLease("start process " + pid);
        l.checkLease();
        boolean begun = backend.latestQuery("starting process " + pid, c -> {
            try {
                Claims.begin(c, pid, parent, l.hostId(), l.epoch(), false);
                return true;
            } catch (SQLException e) {
                if (!"23505".equals(e.getSQLState())) { // unique_violation: the id is taken
                    throw e;
                }
                return false;
            }
        });
        if (!begun) {
            String holder = holder(backend, pid);
            throw new TvProcessException(ErrorCode.PROCESS_STATE, "process id " + pid + " is taken by a run "
                    + (holder == null ? "that has just ended" : holder) + " of " + backend.location()
                    + "; wait until it ends, or use another id");
        }
    }

    /**
     * Claims the PAUSED or ORPHANED run of {@code pid} for this host ({@link Claims#claim}) and returns its new
     * fence. When the claim takes nothing, one sweep runs (a host whose lease ran out is declared dead and its runs
     * orphaned) and the claim is tried once more; a run still owned is refused with {@code PROCESS_STATE} naming
     * its host.
     */
    static long claim(PgBackend backend, DataSource pool, String pid) {
        HostLease l = backend.requireLease("claim process " + pid);
        String doing = "claiming process " + pid;
        OptionalLong fence = backend.latestQuery(doing, c -> Claims.claim(c, pid, l.hostId(), l.epoch()));
        if (fence.isEmpty()) {
            new Sweeper(pool).sweep();
            fence = backend.latestQuery(doing, c -> Claims.claim(c, pid, l.hostId(), l.epoch()));
        }
        if (fence.isPresent()) {
            return fence.getAsLong();
        }
        String holder = holder(backend, pid);
        throw new TvProcessException(ErrorCode.PROCESS_STATE, "process " + pid + (holder == null
                ? " has no run on " + backend.location() + ", so no host may resume it; stop it"
                : " is " + holder + " of " + backend.location() + "; resume it there, or wait until that host's"
                + " lease ends and resume it here"));
    }

    /** How the run of {@code pid} stands ("RUNNING on host h"), or null when it has none. */
    private static String holder(PgBackend backend, String pid) {
        return backend.latestQuery("reading the run of process " + pid, c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT state, owner_host FROM tv_runs WHERE pid = ?")) {
                s.setString(1, pid);
                try (ResultSet r = s.executeQuery()) {
                    return r.next() ? r.getString(1) + " on host " + r.getString(2) : null;
                }
            }
        });
    }

    /** Every {@code tv_runs} row, by process id, read in one statement. */
    static Map<String, Backend.Run> all(PgBackend backend) {
        return backend.latestQuery("reading the process runs", c -> {
            Map<String, Backend.Run> runs = new TreeMap<>();
            try (PreparedStatement s = c.prepareStatement("SELECT pid, state, owner_host, fence, attempts FROM tv_runs");
                 ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    runs.put(r.getString(1), new Backend.Run(r.getString(2), r.getString(3), r.getLong(4), r.getInt(5)));
                }
            }
            return runs;
        });
    }
}
