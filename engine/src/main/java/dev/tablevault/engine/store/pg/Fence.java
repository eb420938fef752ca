package dev.tablevault.engine.store.pg;

import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.TvProcessException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The fence check every commit of a process runs first, in the commit's own transaction: it matches the run's row
 * only under the fence the committer holds, and holds that row until the commit ends, so a takeover (claim or sweep,
 * which bump the fence) either waits for the commit or makes it match nothing. {@link PgBackend#write} runs it for
 * every batch that requires a fence.
 */
final class Fence {
    private Fence() {
    }

    /**
     * Returns if {@code pid} is still held under {@code fence}, marking its run persisted (every fenced batch writes
     * its process's record); else throws {@link ErrorCode#PROCESS_FENCED}.
     */
    static void check(Connection c, String pid, long fence) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "UPDATE tv_runs SET updated = now(), persisted = true WHERE pid = ? AND fence = ?")) {
            s.setString(1, pid);
            s.setLong(2, fence);
            if (s.executeUpdate() == 0) {
                throw fenced(c, pid, fence);
            }
        }
    }

    /** The error for a statement fenced on {@code pid}, naming what the run's row holds now. */
    static TvProcessException fenced(Connection c, String pid, long fence) throws SQLException {
        String now;
        try (PreparedStatement s = c.prepareStatement("SELECT fence, state, owner_host FROM tv_runs WHERE pid = ?")) {
            s.setString(1, pid);
            try (ResultSet r = s.executeQuery()) {
                now = r.next() ? "it is " + r.getString(2) + " under fence " + r.getLong(1)
                        + (r.getString(3) == null ? " with no owner" : " on host " + r.getString(3))
                        : "it is no longer active";
            }
        }
        return new TvProcessException(ErrorCode.PROCESS_FENCED, "process " + pid + " is fenced: this host holds fence "
                + fence + " but " + now + "; nothing of this step was written, and the process continues where it is"
                + " held (tv ps)");
    }
}
