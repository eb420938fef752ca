package dev.tablevault.engine.store.pg;

import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.TvProcessException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Who runs a process: the {@code tv_runs} row's owner and fence. Each method is one statement, so it is atomic
 * whether the connection is in autocommit or inside the caller's transaction (which is where {@link #begin},
 * {@link #pause} and {@link #end} belong: in the batch that writes the matching process record).
 *
 * <p>Starting or claiming requires the host's own row to be LIVE under the given epoch with an unexpired lease,
 * checked in the same statement with the host row locked {@code FOR SHARE}: a sweeper declaring the host dead waits
 * for the claim and then orphans what it claimed, or goes first and the claim matches nothing. So a swept host can
 * never take a run.
 */
final class Claims {
    private static final String HOST = "SELECT host_id FROM tv_hosts WHERE host_id = ? AND epoch = ? AND state = 'LIVE'"
            + " AND lease_until > now() FOR SHARE";
    private static final String CLAIM = "WITH host AS (" + HOST + ") UPDATE tv_runs r SET owner_host = host.host_id,"
            + " fence = r.fence + 1, state = 'RUNNING', attempts = r.attempts + 1, updated = now() FROM host"
            + " WHERE r.pid = ? AND r.owner_host IS NULL AND r.state IN ('PAUSED', 'ORPHANED') RETURNING r.fence";
    private static final String CLAIM_ORPHANS = "WITH host AS (" + HOST + "), picked AS (SELECT pid FROM tv_runs"
            + " WHERE state = 'ORPHANED' AND owner_host IS NULL AND EXISTS (SELECT 1 FROM host)"
            + " ORDER BY updated, pid LIMIT ? FOR UPDATE SKIP LOCKED)"
            + " UPDATE tv_runs r SET owner_host = host.host_id, fence = r.fence + 1, state = 'RUNNING',"
            + " attempts = r.attempts + 1, updated = now() FROM host, picked"
            + " WHERE r.pid = picked.pid AND r.owner_host IS NULL RETURNING r.pid, r.fence";
    private static final String BEGIN = "INSERT INTO tv_runs (pid, parent, state, owner_host, fence, persisted)"
            + " SELECT ?, ?, 'RUNNING', host_id, 1, ? FROM (" + HOST + ") host";
    /**
     * {@link #BEGIN} committed without waiting for the disk, for a run begun before its process wrote anything: its
     * first lock or batch commits synchronously after it, which makes it durable too, and a server crash that loses
     * it fails that lock (no run) or batch (fenced) instead. One statement: the setting is local to its transaction.
     */
    private static final String BEGIN_UNWAITED = BEGIN
            + ", (SELECT set_config('synchronous_commit', 'off', true)) unwaited";

    /** A run claimed, and the fence its commits must carry. */
    record Claim(String pid, long fence) {
    }

    private Claims() {
    }

    /**
     * Claims a PAUSED or ORPHANED run for {@code hostId}: owner set, fence bumped, RUNNING, one more attempt.
     *
     * @return the new fence, or empty when the run is owned already (someone else claimed it) or not active
     * @throws TvProcessException {@link ErrorCode#PROCESS_FENCED} when the host is not LIVE under {@code epoch}
     */
    static OptionalLong claim(Connection c, String pid, String hostId, long epoch) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(CLAIM)) {
            s.setString(1, hostId);
            s.setLong(2, epoch);
            s.setString(3, pid);
            try (ResultSet r = s.executeQuery()) {
                if (r.next()) {
                    return OptionalLong.of(r.getLong(1));
                }
            }
        }
        requireLive(c, hostId, epoch, "claim process " + pid);
        return OptionalLong.empty();
    }

    /**
     * Claims up to {@code max} ORPHANED runs, oldest first, skipping rows another claimer holds at this moment
     * ({@code SKIP LOCKED}): two hosts claiming at once never get the same run.
     *
     * @throws TvProcessException {@link ErrorCode#PROCESS_FENCED} when the host is not LIVE under {@code epoch}
     */
    static List<Claim> claimOrphans(Connection c, String hostId, long epoch, int max) throws SQLException {
        List<Claim> claims = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(CLAIM_ORPHANS)) {
            s.setString(1, hostId);
            s.setLong(2, epoch);
            s.setInt(3, max);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    claims.add(new Claim(r.getString(1), r.getLong(2)));
                }
            }
        }
        if (claims.isEmpty()) {
            requireLive(c, hostId, epoch, "claim orphaned processes");
        }
        return claims;
    }

    /** {@link #begin(Connection, String, String, String, long, boolean)} of a run whose first batch inserts it. */
    static long begin(Connection c, String pid, String parent, String hostId, long epoch) throws SQLException {
        return begin(c, pid, parent, hostId, epoch, true);
    }

    /**
     * Inserts the RUNNING row of a new run owned by {@code hostId}, with fence 1; {@code persisted} false for a run
     * begun before its process wrote anything (the sweep deletes such a run of a dead host instead of orphaning it).
     *
     * @return the fence, 1
     * @throws SQLException with SQLState 23505 (unique violation) when {@code pid} has a row already
     * @throws TvProcessException {@link ErrorCode#PROCESS_FENCED} when the host is not LIVE under {@code epoch}
     */
    static long begin(Connection c, String pid, String parent, String hostId, long epoch, boolean persisted)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement(persisted ? BEGIN : BEGIN_UNWAITED)) {
            s.setString(1, pid);
            s.setString(2, parent);
            s.setBoolean(3, persisted);
            s.setString(4, hostId);
            s.setLong(5, epoch);
            if (s.executeUpdate() == 1) {
                return 1;
            }
        }
        requireLive(c, hostId, epoch, "start process " + pid);
        throw new IllegalStateException("host row of " + hostId + " is live but the run row of " + pid
                + " was not inserted");
    }

    /** Leaves the run PAUSED with no owner (the lock rows stay); fenced like a commit. */
    static void pause(Connection c, String pid, long fence) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE tv_runs SET state = 'PAUSED', owner_host = NULL,"
                + " updated = now() WHERE pid = ? AND fence = ? AND state = 'RUNNING'")) {
            s.setString(1, pid);
            s.setLong(2, fence);
            if (s.executeUpdate() == 0) {
                throw Fence.fenced(c, pid, fence);
            }
        }
    }

    /** Deletes the row of a run that ended; fenced like a commit. */
    static void end(Connection c, String pid, long fence) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("DELETE FROM tv_runs WHERE pid = ? AND fence = ?")) {
            s.setString(1, pid);
            s.setLong(2, fence);
            if (s.executeUpdate() == 0) {
                throw Fence.fenced(c, pid, fence);
            }
        }
    }

    private static void requireLive(Connection c, String hostId, long epoch, String what) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT epoch, state, lease_until < now() FROM tv_hosts"
                + " WHERE host_id = ?")) {
            s.setString(1, hostId);
            try (ResultSet r = s.executeQuery()) {
                String why;
                if (!r.next()) {
                    why = "it has no host row";
                } else if (r.getLong(1) != epoch || !"LIVE".equals(r.getString(2))) {
                    why = "its row is " + r.getString(2) + " under epoch " + r.getLong(1);
                } else if (r.getBoolean(3)) {
                    why = "its lease has expired";
                } else {
                    return;
                }
                throw new TvProcessException(ErrorCode.PROCESS_FENCED, "host " + hostId + " cannot " + what
                        + " under epoch " + epoch + ": " + why + "; it must register again");
            }
        }
    }
}
