package dev.tablevault.arrow;

import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.TableVaultException;
import dev.tablevault.api.TvStorageException;
import org.apache.arrow.c.ArrowArrayStream;
import org.apache.arrow.c.Data;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.duckdb.DuckDBConnection;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Writes a query result ({@link VaultSql#query}) to a file: an Arrow IPC file, or Parquet written by a DuckDB of
 * its own that reads the result's stream (the query's DuckDB has no file access). The file is replaced if there.
 * Returns the rows written. The reader is read to its end, not closed.
 */
public final class SqlExport {
    private static final String STREAM = "tv_sql_result";

    private SqlExport() {
    }

    /** An Arrow IPC file (the format {@code tv export --format arrow} writes). */
    public static long arrow(ArrowReader result, Path file) throws IOException {
        long rows = 0;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
             ArrowFileWriter w = new ArrowFileWriter(result.getVectorSchemaRoot(), null, ch)) {
            w.start();
            while (result.loadNextBatch()) {
                w.writeBatch();
                rows += result.getVectorSchemaRoot().getRowCount();
            }
            w.end();
        }
        return rows;
    }

    /**
     * A Parquet file, DuckDB's default options; {@code allocator} is the one the result was made with (Arrow's C
     * interface hands batches on only within one allocator tree).
     *
     * @throws TvStorageException {@code IO} when DuckDB cannot write the file; a failed query is its own error
     */
    public static long parquet(ArrowReader result, BufferAllocator allocator, Path file) {
        long[] rows = new long[1];
        Counting counting = null;
        try (ArrowArrayStream stream = ArrowArrayStream.allocateNew(allocator);
             Connection c = Duck.connect();
             Statement st = c.createStatement()) {
            counting = new Counting(allocator, result, rows);
            Data.exportArrayStream(allocator, counting, stream);
            c.unwrap(DuckDBConnection.class).registerArrowStream(STREAM, stream);
            st.execute("COPY " + STREAM + " TO " + Duck.literal(file) + " (FORMAT parquet)");
            return rows[0];
        } catch (SQLException e) {
            if (counting != null && counting.failure != null) {
                throw counting.failure;
            }
            throw new TvStorageException(ErrorCode.IO, "DuckDB could not write Parquet file " + file + ": "
                    + e.getMessage(), e);
        }
    }

    /** Passes the result's batches on, counting rows, and keeps a typed error of the query for the caller. */
    private static final class Counting extends ArrowReader {
        private final ArrowReader in;
        private final long[] rows;
        private TableVaultException failure;

        Counting(BufferAllocator allocator, ArrowReader in, long[] rows) {
            super(allocator);
            this.in = in;
            this.rows = rows;
        }

        @Override
        public org.apache.arrow.vector.VectorSchemaRoot getVectorSchemaRoot() throws IOException {
            return in.getVectorSchemaRoot();
        }

        @Override
        public boolean loadNextBatch() throws IOException {
            boolean more;
            try {
                more = in.loadNextBatch();
            } catch (TableVaultException e) {
                failure = e;
                throw e;
            }
            rows[0] += more ? in.getVectorSchemaRoot().getRowCount() : 0;
            return more;
        }

        @Override
        public long bytesRead() {
            return in.bytesRead();
        }

        @Override
        protected org.apache.arrow.vector.types.pojo.Schema readSchema() throws IOException {
            return in.getVectorSchemaRoot().getSchema();
        }

        @Override
        protected void closeReadSource() {
            // the caller closes the result
        }
    }
}
