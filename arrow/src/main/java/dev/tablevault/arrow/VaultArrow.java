package dev.tablevault.arrow;

import dev.tablevault.api.Column;
import dev.tablevault.api.ColumnType;
import dev.tablevault.api.Vault;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

import java.util.ArrayList;
import java.util.List;

/**
 * The entry to Arrow reads of a vault.
 *
 * <pre>{@code
 * try (BufferAllocator allocator = new RootAllocator();
 *      ArrowSnapshot snap = VaultArrow.snapshot(vault);
 *      ArrowReader r = snap.reader("prices", null, null, 65_536, allocator)) {
 *     while (r.loadNextBatch()) {
 *         VectorSchemaRoot batch = r.getVectorSchemaRoot();
 *     }
 * }
 * }</pre>
 *
 * <p>Types: LONG is Int64, DOUBLE Float64, BOOLEAN Bool, STRING Utf8, BYTES Binary, TIMESTAMP
 * Timestamp(NANOSECOND, "UTC"), DURATION Duration(NANOSECOND), ARTIFACT Utf8; every field carries the metadata
 * {@value #TYPE_METADATA} with the column's {@link ColumnType} name, so a load restores the exact type. OBJECT
 * columns are refused ({@code BAD_ARGUMENT} naming the column): leave them out. A TIMESTAMP or DURATION outside
 * 64-bit nanoseconds (years 1677 to 2262), or a STRING holding a lone UTF-16 surrogate, fails the read with
 * {@code BAD_ARGUMENT} naming column and row: nothing is truncated silently.
 *
 * <p>Arrow needs {@code --add-opens=java.base/java.nio=ALL-UNNAMED} on Java 17 and later.
 */
public final class VaultArrow {
    /** The field metadata key holding a column's {@link ColumnType} name. */
    public static final String TYPE_METADATA = Types.TYPE_KEY;

    private VaultArrow() {
    }

    /**
     * One consistent read view of {@code vault}: every reader made from it reads the same moment, across tables.
     * For a vault this JVM opened (read-write or read-only) that is one storage snapshot; for a vault reached
     * through another OS process's owner, each table's instance is fixed at its first read through the snapshot
     * (instances do not change once materialized), and each reader is one consistent read of that instance.
     */
    public static ArrowSnapshot snapshot(Vault vault) {
        return ArrowSnapshot.of(vault);
    }

    /**
     * The Arrow schema of {@code columns}, in order.
     *
     * @throws dev.tablevault.api.TvArgumentException {@code BAD_ARGUMENT} naming an OBJECT column
     */
    public static Schema schema(List<Column> columns) {
        List<Field> fields = new ArrayList<>(columns.size());
        for (Column c : columns) {
            fields.add(Types.field(c));
        }
        return new Schema(fields);
    }
}
