package dev.tablevault.arrow;

import dev.tablevault.api.Column;
import dev.tablevault.api.ColumnType;
import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.TableVaultException;
import dev.tablevault.api.TvArgumentException;
import dev.tablevault.api.Vault;
import org.apache.arrow.c.ArrowArrayStream;
import org.apache.arrow.c.Data;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.duckdb.DuckDBConnection;
import org.duckdb.DuckDBResultSet;
import org.duckdb.DuckDBResultSetMetaData;
import org.duckdb.StatementReturnType;

import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * SQL over a vault: a read-only query run by DuckDB in-process, over Arrow streams of the vault's instances read
 * from one {@link ArrowSnapshot}; nothing is copied into a database.
 *
 * <pre>{@code
 * try (BufferAllocator allocator = new RootAllocator();
 *      ArrowReader r = VaultSql.query(vault, "SELECT k, count(*) FROM t GROUP BY k", SqlOptions.defaults(),
 *              allocator)) {
 *     while (r.loadNextBatch()) {
 *         VectorSchemaRoot batch = r.getVectorSchemaRoot();
 *     }
 * }
 * }</pre>
 *
 * <p>Names: a table name reads the table's latest successful instance; {@code "table@instanceId"} (quoted, as
 * {@code @} is no identifier character) reads that instance. Names match the vault's exactly (case included);
 * schema-qualified names ({@code information_schema.tables}) are DuckDB's own catalog. Only the tables the query
 * names are read, and of them only the columns it names (all of them for {@code *}, {@code COLUMNS(...)}, a NATURAL
 * join, a positional or whole-row reference). OBJECT columns are not visible to SQL: {@code *} leaves them out,
 * naming one fails {@code BAD_ARGUMENT}. Types as {@link VaultArrow} maps them (TIMESTAMP is a DuckDB
 * {@code TIMESTAMPTZ_NS}, DURATION an {@code INTERVAL} of microseconds).
 *
 * <p>Read-only: the statement must be one SELECT (WITH, FROM-first, DESCRIBE, SUMMARIZE included) as DuckDB's
 * parser reads it; anything else is {@code READ_ONLY}, before anything runs. The database is in memory, private to
 * the query, without file system or network access, and its settings are locked (see {@code DuckSession}).
 * Syntax, binder and run-time errors of the query are {@code BAD_ARGUMENT} with DuckDB's message; a failed vault
 * read is its own error.
 */
public final class VaultSql {
    private VaultSql() {
    }

    /**
     * Runs {@code sql} over a new snapshot of {@code vault}; closing the reader closes the snapshot and DuckDB.
     *
     * @throws TableVaultException {@code READ_ONLY} for a statement that is not one SELECT, {@code BAD_ARGUMENT}
     *     for a syntax or binder error, {@code NOT_FOUND} for a table or instance the vault does not have
     */
    public static ArrowReader query(Vault vault, String sql, SqlOptions options, BufferAllocator allocator) {
        ArrowSnapshot snap = VaultArrow.snapshot(vault);
        try {
            return run(snap, true, sql, options, allocator, true);
        } catch (RuntimeException e) {
            snap.close();
            throw e;
        }
    }

    /**
     * Runs {@code sql} over {@code snapshot}, which stays the caller's: close the reader before it. Several
     * queries over one snapshot see one moment of the vault.
     */
    public static ArrowReader query(ArrowSnapshot snapshot, String sql, SqlOptions options,
                                    BufferAllocator allocator) {
        return run(snapshot, false, sql, options, allocator, true);
    }

    private static ArrowReader run(ArrowSnapshot snap, boolean ownSnapshot, String sql, SqlOptions options,
                                   BufferAllocator allocator, boolean streaming) {
        if (sql == null || sql.isBlank()) {
            throw new TvArgumentException(ErrorCode.BAD_ARGUMENT, "the SQL query is empty; give one SELECT");
        }
        if (options == null || allocator == null) {
            throw new TvArgumentException(ErrorCode.BAD_ARGUMENT, "options and allocator must not be null");
        }
        Resources res = new Resources(ownSnapshot ? snap : null);
        Supplier<TableVaultException> vaultError = res::vaultError;
        try {
            res.duck = DuckSession.open(streaming);
            SqlStatement st = SqlStatement.parse(res.duck, sql, name -> resolve(snap, name));
            for (SqlStatement.Read read : st.reads()) {
                InstanceReader in = snap.reader(read.table().table(), read.table().instanceId(), columns(snap, read),
                        options.batchRows(), allocator, false);
                res.readers.add(in);
                ArrowArrayStream stream = ArrowArrayStream.allocateNew(allocator);
                res.streams.add(stream);
                Data.exportArrayStream(allocator, in, stream);
                res.duck.registerArrowStream(read.stream(), stream);
            }
            res.statement = res.duck.prepareStatement(st.sql());
            if (((DuckDBResultSetMetaData) res.statement.getMetaData()).getReturnType()
                    != StatementReturnType.QUERY_RESULT) {
                throw new TvArgumentException(ErrorCode.READ_ONLY, "SQL over a vault is read-only: "
                        + SqlStatement.statementKind(sql) + " statements are refused; run a single SELECT");
            }
            DuckDBResultSet rs = (DuckDBResultSet) res.statement.executeQuery();
            ArrowReader out = (ArrowReader) rs.arrowExportStream(allocator, options.batchRows());
            return new SqlReader(allocator, out, res,
                    e -> explain(e, vaultError, snap, sql, options, allocator, streaming));
        } catch (SQLException e) {
            TableVaultException t = explain(e, vaultError, snap, sql, options, allocator, streaming);
            res.closeQuietly();
            throw t;
        } catch (RuntimeException | Error e) {
            res.closeQuietly();
            throw e;
        }
    }

    /**
     * The typed error of a failed query: a vault read's own, else DuckDB's. DuckDB's JDBC driver loses the message
     * of an error met while streaming a result ("Invalid result set"); the query then runs again over the same
     * snapshot without streaming, which reports it.
     */
    private static TableVaultException explain(SQLException e, Supplier<TableVaultException> vaultError,
                                               ArrowSnapshot snap, String sql, SqlOptions options,
                                               BufferAllocator allocator, boolean streaming) {
        if (vaultError.get() == null && streaming && DuckSession.lostMessage(e)) {
            try (ArrowReader again = run(snap, false, sql, options, allocator, false)) {
                while (again.loadNextBatch()) {
                    // an error not met again: DuckDB's lost message is all there is
                }
            } catch (TableVaultException t) {
                return t;
            } catch (IOException | RuntimeException other) {
                e.addSuppressed(other);
            }
        }
        return DuckSession.error(e, vaultError.get());
    }

    private static SqlStatement.Table resolve(ArrowSnapshot snap, String name) {
        int at = name.indexOf('@');
        SqlStatement.Table t = at < 0 ? new SqlStatement.Table(name, null)
                : new SqlStatement.Table(name.substring(0, at), name.substring(at + 1));
        try {
            snap.columns(t.table(), t.instanceId());
        } catch (TableVaultException e) {
            if (at < 0 && e.code() == ErrorCode.NOT_FOUND) {
                return null;
            }
            throw e;
        }
        return t;
    }

    /** The columns a read streams: those the query may use, in the table's order; at least one, for counts. */
    private static List<String> columns(ArrowSnapshot snap, SqlStatement.Read read) {
        List<Column> all = snap.columns(read.table().table(), read.table().instanceId());
        List<String> out = new ArrayList<>();
        for (Column c : all) {
            boolean named = read.mentioned().contains(c.name().toLowerCase(Locale.ROOT));
            if (c.type() == ColumnType.OBJECT ? named && !read.allColumns() : read.allColumns() || named) {
                out.add(c.name());
            }
        }
        if (out.isEmpty()) {
            all.stream().filter(c -> c.type() != ColumnType.OBJECT).findFirst()
                    .or(() -> all.stream().findFirst()).ifPresent(c -> out.add(c.name()));
        }
        return out;
    }

    /** What one query holds, closed in reverse: DuckDB first (it reads the streams), then streams, snapshot. */
    private static final class Resources implements AutoCloseable {
        private final ArrowSnapshot snapshot;
        private final List<ArrowArrayStream> streams = new ArrayList<>();
        private final List<InstanceReader> readers = new ArrayList<>();
        private DuckDBConnection duck;
        private PreparedStatement statement;

        Resources(ArrowSnapshot snapshot) {
            this.snapshot = snapshot;
        }

        @Override
        public void close() throws SQLException {
            try (ArrowSnapshot s = snapshot) {
                try (DuckDBConnection d = duck; PreparedStatement p = statement) {
                    // closes the statement, then DuckDB, which reads the streams: they go after it
                } finally {
                    streams.forEach(ArrowArrayStream::close);
                }
            }
        }

        /** The first typed error a vault read threw: DuckDB passes on only its text. */
        TableVaultException vaultError() {
            for (InstanceReader r : readers) {
                if (r.failure() instanceof TableVaultException t) {
                    return t;
                }
            }
            return null;
        }

        void closeQuietly() {
            try {
                close();
            } catch (SQLException | RuntimeException e) {
                // Closing after a failure: the failure is what the caller must see; this one is secondary.
                org.slf4j.LoggerFactory.getLogger(VaultSql.class).warn("closing a failed SQL query: {}", e.toString());
            }
        }
    }
}
