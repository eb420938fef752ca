package dev.tablevault.arrow;

import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.TableVaultException;
import dev.tablevault.api.TvArgumentException;
import org.duckdb.DuckDBConnection;
import org.duckdb.DuckDBDriver;

import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * A private in-memory DuckDB database for one query, locked down before anything runs: no file system or network
 * access ({@code enable_external_access=false}: no COPY TO, ATTACH, EXPORT, INSTALL, LOAD, read_csv ...), no
 * extension auto-loading, no spilling to a temporary directory, and its configuration locked so no SET or PRAGMA
 * can undo that. What it holds dies with it; the vault is reached only through the read streams registered.
 */
final class DuckSession {
    private DuckSession() {
    }

    /** {@code streaming}: results come as DuckDB makes them, not after the whole result is held. */
    static DuckDBConnection open(boolean streaming) {
        Properties p = new Properties();
        p.setProperty("enable_external_access", "false");
        p.setProperty("autoinstall_known_extensions", "false");
        p.setProperty("autoload_known_extensions", "false");
        // An in-memory database would spill to ".tmp" in the working directory; a query that does not fit fails.
        p.setProperty("temp_directory", "");
        p.setProperty("lock_configuration", "true");
        p.setProperty(DuckDBDriver.JDBC_STREAM_RESULTS, Boolean.toString(streaming));
        try {
            return (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:", p);
        } catch (SQLException e) {
            throw new TableVaultException(ErrorCode.IO, "DuckDB did not start: " + e.getMessage(), e);
        }
    }

    /** Whether DuckDB's driver replaced the error's message (it does for errors met while streaming). */
    static boolean lostMessage(SQLException e) {
        return e.getMessage() != null && e.getMessage().contains("Invalid result set");
    }

    /**
     * DuckDB's error as a typed one: the query's fault ({@code BAD_ARGUMENT}, DuckDB's message kept whole) unless
     * a vault read failed, whose own error is returned as it was.
     */
    static TableVaultException error(SQLException e, TableVaultException fromVault) {
        if (fromVault != null) {
            return fromVault;
        }
        String m = e.getMessage() == null ? e.toString() : e.getMessage();
        if (m.contains("stream has been released")) {
            return new TvArgumentException(ErrorCode.BAD_ARGUMENT, "the query reads one table reference more than"
                    + " once (a recursive CTE reads its tables again at each step), which a vault table's stream cannot"
                    + " do; read the table in a MATERIALIZED CTE first. DuckDB: " + m, e);
        }
        if (m.contains("Permission Error")) {
            return new TvArgumentException(ErrorCode.BAD_ARGUMENT, "SQL over a vault reads vault tables only: no"
                    + " files, network or settings. DuckDB: " + m, e);
        }
        return new TvArgumentException(ErrorCode.BAD_ARGUMENT, "SQL: " + m, e);
    }
}
