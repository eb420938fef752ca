package dev.tablevault.arrow;

import dev.tablevault.api.ColumnType;
import dev.tablevault.api.Frame;
import dev.tablevault.api.Vault;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.util.Text;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Files we export, read back by independent readers: DuckDB for Parquet, Arrow's own file reader for Arrow IPC
 * (DuckDB reads Arrow IPC files only through an extension it would download), compared value by value with the
 * frame written, for every column type with nulls, and for an empty instance; then loaded back exactly.
 */
class ExportTest {
    @TempDir
    Path tmp;

    @Test
    void parquetReadsBackInDuckDbWithEqualValues() throws Exception {
        Frame f = Fixtures.everyType(2_500, 11);
        Path file = tmp.resolve("t.parquet");
        try (Vault v = Fixtures.create(tmp.resolve("v"))) {
            Fixtures.write(v, "t", f);
            List<Long> progress = new ArrayList<>();
            try (ArrowSnapshot snap = VaultArrow.snapshot(v)) {
                assertThat(ArrowExport.parquet(snap, "t", null, null, file, progress::add)).isEqualTo(2_500);
            }
            assertThat(progress).last().isEqualTo(2_500L);
        }
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT name, duckdb_type FROM parquet_schema('" + file
                    + "') WHERE duckdb_type IS NOT NULL")) {
                List<String> types = new ArrayList<>();
                while (rs.next()) {
                    types.add(rs.getString(1) + " " + rs.getString(2));
                }
                assertThat(types).containsExactly("l BIGINT", "d DOUBLE", "b BOOLEAN", "s VARCHAR", "y BLOB",
                        "t TIMESTAMP WITH TIME ZONE (NS)".equals(types.get(5)) ? types.get(5) : "t TIMESTAMPTZ_NS",
                        "u BIGINT", "a VARCHAR");
            }
            // DuckDB takes the largest 64-bit nanosecond time (2262-04-11T23:47:16.854775807Z, which the file holds)
            // for its 'infinity'; epoch_ns gives null for that, so ask for it by name.
            try (ResultSet rs = st.executeQuery("SELECT l, d, b, s, y, CASE WHEN t::VARCHAR = 'infinity' THEN"
                    + " 9223372036854775807 ELSE epoch_ns(t) END, u, a FROM read_parquet('" + file + "')")) {
                int r = 0;
                while (rs.next()) {
                    List<Object> want = f.row(r);
                    assertThat(rs.getObject(1)).as("l row %d", r).isEqualTo(want.get(0));
                    assertThat(rs.getObject(2)).as("d row %d", r).isEqualTo(want.get(1));
                    assertThat(rs.getObject(3)).as("b row %d", r).isEqualTo(want.get(2));
                    assertThat(rs.getObject(4)).as("s row %d", r).isEqualTo(want.get(3));
                    assertThat(rs.getBytes(5)).as("y row %d", r).isEqualTo(want.get(4));
                    assertThat(rs.getObject(6)).as("t row %d", r).isEqualTo(want.get(5) == null ? null
                            : nanos((Instant) want.get(5)));
                    assertThat(rs.getObject(7)).as("u row %d", r).isEqualTo(want.get(6) == null ? null
                            : ((Duration) want.get(6)).toNanos());
                    assertThat(rs.getObject(8)).as("a row %d", r).isEqualTo(want.get(7));
                    r++;
                }
                assertThat(r).isEqualTo(2_500);
            }
        }
        assertThat(ArrowImport.readFrame(file, null)).isEqualTo(f);
    }

    @Test
    void arrowIpcReadsBackWithArrowsOwnReaderWithEqualValues() throws Exception {
        Frame f = Fixtures.everyType(66_000, 12);
        Path file = tmp.resolve("t.arrow");
        try (Vault v = Fixtures.create(tmp.resolve("v"))) {
            Fixtures.write(v, "t", f);
            try (ArrowSnapshot snap = VaultArrow.snapshot(v); OutputStream out = Files.newOutputStream(file)) {
                assertThat(ArrowExport.arrow(snap, "t", null, null, out, null)).isEqualTo(66_000);
            }
        }
        try (BufferAllocator a = new RootAllocator();
             ArrowFileReader r = new ArrowFileReader(Files.newByteChannel(file), a)) {
            VectorSchemaRoot root = r.getVectorSchemaRoot();
            assertThat(root.getSchema().getFields()).extracting(x -> x.getType().toString()).containsExactly(
                    "Int(64, true)", "FloatingPoint(DOUBLE)", "Bool", "Utf8", "Binary", "Timestamp(NANOSECOND, UTC)",
                    "Duration(NANOSECOND)", "Utf8");
            int row = 0;
            int batches = 0;
            List<String> mismatches = new ArrayList<>();
            while (r.loadNextBatch()) {
                batches++;
                for (int i = 0; i < root.getRowCount(); i++, row++) {
                    for (int c = 0; c < f.columnCount(); c++) {
                        Object want = expected(f.columns().get(c).type(), f.get(row, c));
                        Object got = arrowValue(root.getVector(c).getObject(i));
                        if (!Frame.valueEquals(want, got)) {
                            mismatches.add("column " + c + " row " + row + ": " + got + " instead of " + want);
                        }
                    }
                }
            }
            assertThat(mismatches).isEmpty();
            assertThat(row).isEqualTo(66_000);
            assertThat(batches).isEqualTo(2);
        }
        assertThat(ArrowImport.readFrame(file, null)).isEqualTo(f);
    }

    @Test
    void anEmptyInstanceExportsItsColumnsAndNoRows() throws Exception {
        Frame empty = Fixtures.everyType(0, 13);
        Path parquet = tmp.resolve("e.parquet");
        Path arrow = tmp.resolve("e.arrow");
        try (Vault v = Fixtures.withEmptyInstance(tmp.resolve("v"), "t", empty.columns());
             ArrowSnapshot snap = VaultArrow.snapshot(v)) {
            assertThat(ArrowExport.parquet(snap, "t", null, null, parquet, null)).isZero();
            try (OutputStream out = Files.newOutputStream(arrow)) {
                assertThat(ArrowExport.arrow(snap, "t", null, null, out, null)).isZero();
            }
        }
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM read_parquet('" + parquet + "')")) {
            rs.next();
            assertThat(rs.getLong(1)).isZero();
        }
        assertThat(ArrowImport.readFrame(parquet, null)).isEqualTo(empty);
        assertThat(ArrowImport.readFrame(arrow, null)).isEqualTo(empty);
    }

    @Test
    void csvAndJsonLinesWriteTheFormsDocumented() throws Exception {
        Frame f = Frame.builder().column("id", ColumnType.LONG).column("s", ColumnType.STRING)
                .column("t", ColumnType.TIMESTAMP).column("y", ColumnType.BYTES).column("d", ColumnType.DOUBLE)
                .row(1L, "a,\"b\"", Instant.parse("2024-01-02T03:04:05.123456789Z"), new byte[] {1, 2}, Double.NaN)
                .row(2L, null, null, null, 1.5).build();
        try (Vault v = Fixtures.create(tmp.resolve("v"))) {
            Fixtures.write(v, "t", f);
            try (ArrowSnapshot snap = VaultArrow.snapshot(v)) {
                StringWriter csv = new StringWriter();
                ArrowExport.csv(snap, "t", null, null, csv, null);
                assertThat(csv.toString()).isEqualTo("id:long,s:string,t:timestamp,y:bytes,d:double\n"
                        + "1,\"a,\"\"b\"\"\",2024-01-02T03:04:05.123456789Z,AQI=,NaN\n2,,,,1.5\n");
                StringWriter json = new StringWriter();
                ArrowExport.jsonl(snap, "t", null, List.of("id", "t", "d", "y"), json, null);
                assertThat(json.toString()).isEqualTo(
                        "{\"id\":1,\"t\":\"2024-01-02T03:04:05.123456789Z\",\"d\":\"NaN\",\"y\":\"AQI=\"}\n"
                                + "{\"id\":2,\"t\":null,\"d\":1.5,\"y\":null}\n");
                StringWriter one = new StringWriter();
                ArrowExport.csv(snap, "t", null, List.of("s"), one, null);
                assertThat(one.toString()).isEqualTo("s:string\n\"a,\"\"b\"\"\"\n\"\"\n");
            }
        }
    }

    private static long nanos(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond() + (t.getEpochSecond() < 0 && t.getNano() > 0 ? 1
                : 0), 1_000_000_000L), t.getEpochSecond() < 0 && t.getNano() > 0 ? t.getNano() - 1_000_000_000L
                : t.getNano());
    }

    /** What Arrow's getObject gives for a value of our type. */
    private static Object expected(ColumnType type, Object v) {
        if (v == null) {
            return null;
        }
        return switch (type) {
            case TIMESTAMP -> nanos((Instant) v);
            default -> v;
        };
    }

    private static Object arrowValue(Object v) {
        return v instanceof Text t ? t.toString() : v;
    }
}
