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
     * Applies {@code batch}'s run starts ({@code starts}) or its pauses and ends (not {@code starts}) on {@code c},
     * inside the batch's transaction, with {@link Claims}' statements: starts go before the fence check (a new run's
     * first batch has no fence yet), pauses and ends after it, each fenced itself.
     */
    static void apply(PgBackend backend, Connection c, Batch batch, boolean starts) throws SQLException {
        for (Batch.RunChange r : batch.runChanges()) {
            if ((r.kind() == Batch.RunKind.START) != starts) {
                continue;
            }
            switch (r.kind()) {
                case START -> {
                    HostLease l = backend.requireLease("start process " + r.pid());
                    Claims.begin(c, r.pid(), r.parent(), l.hostId(), l.epoch());
                }
                case PAUSE -> Claims.pause(c, r.pid(), r.fence());
                case END -> Claims.end(c, r.pid(), r.fence());
            }
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
        String holder = backend.latestQuery("reading the run of process " + pid, c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT state, owner_host FROM tv_runs WHERE pid = ?")) {
                s.setString(1, pid);
                try (ResultSet r = s.executeQuery()) {
                    return r.next() ? r.getString(1) + " on host " + r.getString(2) : null;
                }
            }
        });
        throw new TvProcessException(ErrorCode.PROCESS_STATE, "process " + pid + (holder == null
                ? " has no run on " + backend.location() + ", so no host may resume it; stop it"
                : " is " + holder + " of " + backend.location() + "; resume it there, or wait until that host's"
                + " lease ends and resume it here"));
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
