package dev.tablevault.arrow;

import dev.tablevault.api.TableVaultException;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Schema;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A vault reader as DuckDB needs it. Each batch is moved into buffers of its own: DuckDB keeps exported batches
 * (several at once, on several threads) until it releases them, while the vault reader reuses its buffers for the
 * next batch (reused, they crashed DuckDB in a string hash). It also keeps the first typed error the reader
 * throws: DuckDB passes on only its text, and the query reports the error itself (a {@code CORRUPTION} stays one).
 */
final class WatchedReader extends ArrowReader {
    private final ArrowReader in;
    private final AtomicReference<TableVaultException> failure;

    WatchedReader(BufferAllocator allocator, ArrowReader in, AtomicReference<TableVaultException> failure) {
        super(allocator);
        this.in = in;
        this.failure = failure;
    }

    @Override
    public boolean loadNextBatch() throws IOException {
        boolean more;
        try {
            more = in.loadNextBatch();
        } catch (TableVaultException e) {
            failure.compareAndSet(null, e);
            throw e;
        }
        VectorSchemaRoot from = in.getVectorSchemaRoot();
        VectorSchemaRoot to = getVectorSchemaRoot();
        int rows = from.getRowCount();
        for (int c = 0; c < from.getFieldVectors().size(); c++) {
            FieldVector v = from.getVector(c);
            v.makeTransferPair(to.getVector(c)).transfer();
            // The reader refills v next: give it room for a batch like this one at once.
            v.setInitialCapacity(Math.max(rows, 1));
            v.allocateNew();
        }
        to.setRowCount(rows);
        return more;
    }

    @Override
    public long bytesRead() {
        return in.bytesRead();
    }

    @Override
    protected Schema readSchema() throws IOException {
        return in.getVectorSchemaRoot().getSchema();
    }

    @Override
    protected void closeReadSource() throws IOException {
        in.close();
    }
}
