package dev.tablevault.engine.store.pg;

import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.TvStorageException;

import java.sql.Connection;
import java.sql.SQLException;

/** Turns pgjdbc's {@link SQLException}s into the engine's typed errors, naming the vault (never its password). */
final class PgErrors {
    private PgErrors() {
    }

    /** Whether {@code e} says the connection is gone (SQLSTATE class 08, a terminated backend, or no state). */
    static boolean connectionLost(SQLException e, Connection c) {
        String state = e.getSQLState();
        if (state == null || state.startsWith("08") || state.startsWith("57P")) {
            return true;
        }
        try {
            return c != null && c.isClosed();
        } catch (SQLException closed) {
            e.addSuppressed(closed);
            return true;
        }
    }

    /** The typed error for {@code e}, raised while {@code doing} (e.g. "reading tv_meta") on {@code location}. */
    static TvStorageException of(SQLException e, String location, String doing) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String what = doing + " on " + location + " failed (SQLSTATE " + (state.isEmpty() ? "none" : state) + ": "
                + e.getMessage() + ")";
        return switch (state) {
            case "53100" -> new TvStorageException(ErrorCode.DISK_FULL, what + ": the database server is out of disk"
                    + " space; free space there, then retry", e);
            case "XX001", "XX002" -> new TvStorageException(ErrorCode.CORRUPTION, what + ": the database reports"
                    + " damaged data; restore it from a backup or repair it (see the server's log)", e);
            case "25006" -> new TvStorageException(ErrorCode.READ_ONLY, what + ": the server accepts no writes"
                    + " (a standby, or default_transaction_read_only); connect to the primary", e);
            case "28000", "28P01", "42501" -> new TvStorageException(ErrorCode.PERMISSION_DENIED, what + ": check"
                    + " the user, its password and its privileges on the database", e);
            default -> new TvStorageException(ErrorCode.IO, what + (connectionLost(e, null) ? ": check that the"
                    + " server is running and reachable from here, then retry" : ""), e);
        };
    }
}
