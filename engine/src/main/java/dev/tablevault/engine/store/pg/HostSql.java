package dev.tablevault.engine.store.pg;

import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.TvStorageException;

import javax.sql.DataSource;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** What the host-liveness classes share: one transaction on a fresh connection, the error mapping, orphaning. */
final class HostSql {
    /** Work inside a transaction; may throw SQLException, which rolls it back. */
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private HostSql() {
    }

    /**
     * Runs {@code work} in one transaction and commits it, or rolls it back when it throws. SQL errors become
     * {@link TvStorageException} with {@link ErrorCode#IO} naming {@code doing}; the engine's own errors pass as they
     * are (after the rollback).
     */
    static <T> T transaction(DataSource db, String doing, Work<T> work) {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                try {
                    c.rollback();
                } catch (SQLException r) {
                    e.addSuppressed(r);
                }
                throw e;
            }
        } catch (SQLException e) {
            throw failed(doing, e);
        }
    }

    static TvStorageException failed(String doing, SQLException e) {
        return new TvStorageException(ErrorCode.IO, "the database failed while " + doing + ": " + e.getMessage()
                + " (SQLState " + e.getSQLState() + "); nothing of it was committed: check that the database is"
                + " reachable, then retry", e);
    }

    /**
     * Hands every run owned by {@code hostId} over: a run whose process never persisted is deleted with its lock
     * rows, any other becomes ORPHANED, no owner, fence bumped (so any late commit of the old owner matches
     * nothing); their lock waits are dropped. The statements wait for any in-flight commit of those runs, whose
     * fence check holds their rows. Call inside the transaction that declared the host dead.
     *
     * @return the pids of the runs deleted or orphaned
     */
    static List<String> orphanRunsOf(Connection c, String hostId) throws SQLException {
        List<String> pids = new ArrayList<>();
        // A run that never persisted has nothing to resume: deleted, and its lock rows with it (ON DELETE CASCADE).
        try (PreparedStatement s = c.prepareStatement(
                "DELETE FROM tv_runs WHERE owner_host = ? AND NOT persisted RETURNING pid")) {
            s.setString(1, hostId);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    pids.add(r.getString(1));
                }
            }
        }
        try (PreparedStatement s = c.prepareStatement("UPDATE tv_runs SET state = 'ORPHANED', owner_host = NULL,"
                + " fence = fence + 1, updated = now() WHERE owner_host = ? RETURNING pid")) {
            s.setString(1, hostId);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    pids.add(r.getString(1));
                }
            }
        }
        if (!pids.isEmpty()) {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM tv_lock_waits WHERE waiter = ANY (?)")) {
                Array array = c.createArrayOf("text", pids.toArray());
                s.setArray(1, array);
                s.executeUpdate();
                array.free();
            }
        }
        return pids;
    }
}
