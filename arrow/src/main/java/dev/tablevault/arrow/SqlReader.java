package dev.tablevault.arrow;

import dev.tablevault.api.TableVaultException;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Schema;

import java.io.IOException;
import java.sql.SQLException;
import java.util.function.Function;

/**
 * The result of a query: DuckDB's Arrow stream, mapped to typed errors; closing it closes the result, the DuckDB
 * database and the vault snapshot it reads ({@code owned}).
 */
final class SqlReader extends ArrowReader {
    private final ArrowReader result;
    private final AutoCloseable owned;
    private final Function<SQLException, TableVaultException> explain;

    SqlReader(BufferAllocator allocator, ArrowReader result, AutoCloseable owned,
              Function<SQLException, TableVaultException> explain) {
        super(allocator);
        this.result = result;
        this.owned = owned;
        this.explain = explain;
    }

    @Override
    public VectorSchemaRoot getVectorSchemaRoot() throws IOException {
        return result.getVectorSchemaRoot();
    }

    @Override
    public boolean loadNextBatch() throws IOException {
        try {
            return result.loadNextBatch();
        } catch (TableVaultException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw explain.apply(new SQLException(e.getMessage(), e));
        }
    }

    @Override
    public long bytesRead() {
        return result.bytesRead();
    }

    @Override
    protected Schema readSchema() throws IOException {
        return result.getVectorSchemaRoot().getSchema();
    }

    @Override
    protected void closeReadSource() throws IOException {
        try (AutoCloseable o = owned) {
            result.close();
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e);
        }
    }
}
