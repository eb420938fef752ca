package dev.tablevault.arrow;

import dev.tablevault.api.Column;
import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.ReadOptions;
import dev.tablevault.api.RowCursor;
import dev.tablevault.api.TvArgumentException;
import dev.tablevault.api.Vault;
import dev.tablevault.engine.PinnedReads;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One consistent read view of a vault ({@link VaultArrow#snapshot}) from which instances are read as Arrow record
 * batches. {@code instanceId} null means the latest active, successful instance; {@code columns} null means
 * every column, else those named, in that order. Picking and schemas are for one thread at a time; each reader
 * is used by one thread (readers of one snapshot may run on different threads). {@link #close} closes the
 * readers still open, then releases the snapshot.
 */
public final class ArrowSnapshot implements AutoCloseable {
    private static final ReadOptions LATEST = ReadOptions.latest().successfulOnly(true);

    private final Vault vault;
    /** The storage snapshot of a vault this JVM opened; null for any other vault. */
    private final PinnedReads pinned;
    /** Without a storage snapshot: the instance each table's latest read picked, so later reads agree. */
    private final Map<String, String> picked = new HashMap<>();
    private final Set<ArrowReader> open = new LinkedHashSet<>();
    private boolean closed;

    private ArrowSnapshot(Vault vault, PinnedReads pinned) {
        this.vault = vault;
        this.pinned = pinned;
    }

    static ArrowSnapshot of(Vault vault) {
        if (vault == null) {
            throw new TvArgumentException(ErrorCode.BAD_ARGUMENT, "vault must not be null");
        }
        return new ArrowSnapshot(vault, PinnedReads.of(vault).orElse(null));
    }

    /**
     * The Arrow schema a {@link #reader} of the same arguments streams.
     *
     * @throws TvArgumentException {@code NOT_FOUND} for a missing table or instance, {@code BAD_ARGUMENT} for a
     *     column that is not there, named twice, or OBJECT
     */
    public Schema schema(String table, String instanceId, List<String> columns) {
        checkOpen();
        if (pinned != null) {
            PinnedReads.Picked p = pinned.pick(table, options(table, instanceId));
            return VaultArrow.schema(chosen(p.columns(), positions(p.columns(), columns, table, p.id())));
        }
        try (RowCursor cursor = vault.rows(table, options(table, instanceId))) {
            remember(table, instanceId, cursor.instanceId());
            return VaultArrow.schema(chosen(cursor.columns(), positions(cursor.columns(), columns, table,
                    cursor.instanceId())));
        }
    }

    /**
     * Every column of the instance a {@link #reader} of the same table and id reads, OBJECT ones included (SQL
     * leaves those out of {@code *}).
     *
     * @throws TvArgumentException {@code NOT_FOUND} for a missing table or instance
     */
    public List<Column> columns(String table, String instanceId) {
        checkOpen();
        if (pinned != null) {
            return pinned.pick(table, options(table, instanceId)).columns();
        }
        try (RowCursor cursor = vault.rows(table, options(table, instanceId))) {
            remember(table, instanceId, cursor.instanceId());
            return cursor.columns();
        }
    }

    /**
     * A reader of an instance of {@code table} in record batches of at most {@code batchRows} rows, allocated
     * from {@code allocator}; close it (this snapshot's close also does). Memory holds about one batch and one
     * stored chunk (1,024 rows) of each column read.
     *
     * @throws TvArgumentException {@code BAD_ARGUMENT} for {@code batchRows} below 1, a null allocator, a column
     *     that is not there, named twice, or OBJECT; {@code NOT_FOUND} for a missing table or instance
     */
    public ArrowReader reader(String table, String instanceId, List<String> columns, int batchRows,
                              BufferAllocator allocator) {
        return reader(table, instanceId, columns, batchRows, allocator, false);
    }

    /** {@link #reader}; {@code durationNanos}: DURATION columns as Int64 nanoseconds (for Parquet). */
    InstanceReader reader(String table, String instanceId, List<String> columns, int batchRows,
                          BufferAllocator allocator, boolean durationNanos) {
        if (batchRows < 1) {
            throw new TvArgumentException(ErrorCode.BAD_ARGUMENT, "batchRows must be at least 1, not " + batchRows);
        }
        if (allocator == null) {
            throw new TvArgumentException(ErrorCode.BAD_ARGUMENT, "allocator must not be null");
        }
        Rows rows = rows(table, instanceId, columns);
        List<Field> fields = new ArrayList<>();
        rows.columns().forEach(c -> fields.add(Types.field(c, durationNanos)));
        InstanceReader[] self = new InstanceReader[1];
        self[0] = new InstanceReader(allocator, new Schema(fields), rows.columns(), rows.source(), batchRows,
                "instance " + rows.id() + " of table '" + table + "'", () -> forget(self[0]));
        synchronized (open) {
            open.add(self[0]);
        }
        return self[0];
    }

    /** The rows of an instance: its id, rows in all, the chosen columns and their values; close the source. */
    record Rows(String id, long count, List<Column> columns, RowSource source) {
    }

    /**
     * The chosen columns' rows of the instance a read picks, checked to have an Arrow form.
     *
     * @throws TvArgumentException as {@link #reader}
     */
    Rows rows(String table, String instanceId, List<String> columns) {
        checkOpen();
        if (pinned != null) {
            PinnedReads.Picked p = pinned.pick(table, options(table, instanceId));
            int[] at = positions(p.columns(), columns, table, p.id());
            List<Column> cols = chosen(p.columns(), at);
            VaultArrow.schema(cols);
            return new Rows(p.id(), p.rows(), cols, RowSource.chunks(pinned.cursor(p, at), cols));
        }
        RowCursor cursor = vault.rows(table, options(table, instanceId));
        try {
            int[] at = positions(cursor.columns(), columns, table, cursor.instanceId());
            List<Column> cols = chosen(cursor.columns(), at);
            VaultArrow.schema(cols);
            remember(table, instanceId, cursor.instanceId());
            long count = vault.description(table, cursor.instanceId()).rows();
            return new Rows(cursor.instanceId(), count, cols, RowSource.rows(cursor, at));
        } catch (RuntimeException e) {
            cursor.close();
            throw e;
        }
    }

    /**
     * The rows a read of {@code table} ({@code instanceId} null: the latest active, successful instance) holds.
     *
     * @throws TvArgumentException {@code NOT_FOUND} for a missing table or instance
     */
    public long rowCount(String table, String instanceId) {
        checkOpen();
        if (pinned != null) {
            return pinned.pick(table, options(table, instanceId)).rows();
        }
        try (RowCursor cursor = vault.rows(table, options(table, instanceId))) {
            remember(table, instanceId, cursor.instanceId());
            return vault.description(table, cursor.instanceId()).rows();
        }
    }

    private ReadOptions options(String table, String instanceId) {
        if (instanceId != null) {
            return ReadOptions.id(instanceId);
        }
        String id = picked.get(table);
        return id == null ? LATEST : ReadOptions.id(id);
    }

    private void remember(String table, String instanceId, String id) {
        if (instanceId == null) {
            picked.putIfAbsent(table, id);
        }
    }

    private void forget(ArrowReader r) {
        synchronized (open) {
            open.remove(r);
        }
    }

    /** Positions in {@code all} of the columns named, or of every column when {@code names} is null. */
    private static int[] positions(List<Column> all, List<String> names, String table, String id) {
        if (names == null) {
            return java.util.stream.IntStream.range(0, all.size()).toArray();
        }
        if (names.isEmpty()) {
            throw new TvArgumentException(ErrorCode.BAD_ARGUMENT, "columns must name at least one column of instance "
                    + id + " of table '" + table + "' (or be null for all)");
        }
        int[] at = new int[names.size()];
        Set<String> seen = new java.util.HashSet<>();
        for (int i = 0; i < at.length; i++) {
            String n = names.get(i);
            if (!seen.add(n)) {
                throw new TvArgumentException(ErrorCode.BAD_ARGUMENT, "column '" + n + "' is named twice");
            }
            at[i] = -1;
            for (int c = 0; c < all.size(); c++) {
                if (all.get(c).name().equals(n)) {
                    at[i] = c;
                }
            }
            if (at[i] < 0) {
                throw new TvArgumentException(ErrorCode.BAD_ARGUMENT, "instance " + id + " of table '" + table
                        + "' has no column '" + n + "'; its columns: "
                        + String.join(", ", all.stream().map(Column::name).toList()));
            }
        }
        return at;
    }

    private static List<Column> chosen(List<Column> all, int[] at) {
        List<Column> out = new ArrayList<>(at.length);
        for (int c : at) {
            out.add(all.get(c));
        }
        return out;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("this ArrowSnapshot is closed");
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<ArrowReader> readers;
        synchronized (open) {
            readers = new ArrayList<>(open);
        }
        try {
            for (ArrowReader r : readers) {
                r.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (pinned != null) {
                pinned.close();
            }
        }
    }
}
