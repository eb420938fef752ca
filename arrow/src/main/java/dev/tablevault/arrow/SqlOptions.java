package dev.tablevault.arrow;

import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.TvArgumentException;

/**
 * Options of {@link VaultSql#query}: the number of rows per record batch, both of the vault tables fed to DuckDB
 * and of the result ({@value #DEFAULT_BATCH_ROWS} by default). Immutable.
 */
public final class SqlOptions {
    /** The default rows per batch. */
    public static final int DEFAULT_BATCH_ROWS = 65_536;

    private final int batchRows;

    private SqlOptions(int batchRows) {
        this.batchRows = batchRows;
    }

    /** The defaults. */
    public static SqlOptions defaults() {
        return new SqlOptions(DEFAULT_BATCH_ROWS);
    }

    /**
     * These options with {@code rows} rows per batch.
     *
     * @throws TvArgumentException {@code BAD_ARGUMENT} for {@code rows} below 1
     */
    public SqlOptions batchRows(int rows) {
        if (rows < 1) {
            throw new TvArgumentException(ErrorCode.BAD_ARGUMENT, "batchRows must be at least 1, not " + rows);
        }
        return new SqlOptions(rows);
    }

    public int batchRows() {
        return batchRows;
    }
}
