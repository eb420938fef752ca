package dev.tablevault.arrow;

import dev.tablevault.api.ColumnType;
import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.Frame;
import dev.tablevault.api.ReadOptions;
import dev.tablevault.api.RowCursor;
import dev.tablevault.api.TableVaultException;
import dev.tablevault.api.Vault;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.util.Text;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VaultSqlTest {
    @TempDir
    Path tmp;
    private final BufferAllocator allocator = new RootAllocator();

    @AfterEach
    void noLeak() {
        assertThat(allocator.getAllocatedMemory()).as("Arrow memory still allocated").isZero();
        allocator.close();
    }

    @Test
    void aJoinOfTwoTablesGroupedGivesTheExpectedSums() throws Exception {
        try (Vault v = Fixtures.create(tmp.resolve("v"))) {
            Fixtures.write(v, "customers", Frame.builder().column("name", ColumnType.STRING)
                    .column("region", ColumnType.STRING)
                    .row("ann", "north").row("bob", "south").row("cy", "north").build());
            Frame.Builder orders = Frame.builder().column("customer", ColumnType.STRING)
                    .column("amount", ColumnType.DOUBLE).column("qty", ColumnType.LONG);
            Map<String, double[]> expected = new TreeMap<>();
            String[] who = {"ann", "bob", "cy", "dan"};
            for (int i = 0; i < 3_000; i++) {
                String c = who[i % 4];
                orders.row(c, i * 0.5, (long) i);
                String region = c.equals("bob") ? "south" : c.equals("dan") ? null : "north";
                if (region != null) {
                    double[] e = expected.computeIfAbsent(region, r -> new double[3]);
                    e[0]++;
                    e[1] += i * 0.5;
                    e[2] += i;
                }
            }
            Fixtures.write(v, "orders", orders.build());
            List<List<Object>> rows = query(v, "SELECT c.region, count(*) AS n, sum(o.amount) AS total,"
                    + " sum(qty) AS q FROM orders o JOIN customers c ON o.customer = c.name"
                    + " GROUP BY c.region ORDER BY c.region", 100);
            assertThat(rows).containsExactly(
                    List.of("north", (long) expected.get("north")[0], expected.get("north")[1],
                            java.math.BigDecimal.valueOf((long) expected.get("north")[2])),
                    List.of("south", (long) expected.get("south")[0], expected.get("south")[1],
                            java.math.BigDecimal.valueOf((long) expected.get("south")[2])));
        }
    }

    @Test
    void aNamedInstanceIsReadByTableAtId() throws Exception {
        try (Vault v = Fixtures.create(tmp.resolve("v"))) {
            String first = Fixtures.write(v, "t", longs(1L, 2L));
            Fixtures.write(v, "t", longs(10L, 20L, 30L));
            assertThat(query(v, "SELECT sum(x) FROM t", 10)).containsExactly(List.of(java.math.BigDecimal.valueOf(60)));
            assertThat(query(v, "SELECT sum(x) FROM \"t@" + first + "\"", 10))
                    .containsExactly(List.of(java.math.BigDecimal.valueOf(3)));
            assertThat(query(v, "SELECT old.x, new.x FROM \"t@" + first + "\" old POSITIONAL JOIN t new"
                    + " ORDER BY new.x", 10))
                    .containsExactly(List.of(1L, 10L), List.of(2L, 20L), java.util.Arrays.asList(null, 30L));
            assertThatThrownBy(() -> query(v, "SELECT * FROM \"t@base_1_00000000\"", 10))
                    .isInstanceOfSatisfying(TableVaultException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
            assertThatThrownBy(() -> query(v, "SELECT * FROM nope", 10))
                    .isInstanceOfSatisfying(TableVaultException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND))
                    .hasMessageContaining("no table 'nope'");
        }
    }

    @Test
    void everyColumnTypeReachesSqlWithItsValues() throws Exception {
        Frame f = Fixtures.everyType(300, 5);
        try (Vault v = Fixtures.create(tmp.resolve("v"))) {
            Fixtures.write(v, "t", f);
            assertThat(query(v, "SELECT typeof(l), typeof(d), typeof(b), typeof(s), typeof(y), typeof(t),"
                    + " typeof(u), typeof(a) FROM t LIMIT 1", 10)).containsExactly(List.of("BIGINT", "DOUBLE",
                    "BOOLEAN", "VARCHAR", "BLOB", "TIMESTAMPTZ_NS", "INTERVAL", "VARCHAR"));
            List<List<Object>> back = query(v, "SELECT l, d, b, s, y, epoch_ns(t), epoch(u), a FROM t", 64);
            assertThat(back).hasSize(300);
            for (int r = 0; r < 300; r++) {
                List<Object> row = back.get(r);
                assertThat(row.get(0)).isEqualTo(f.column("l").get(r));
                assertThat(row.get(1)).isEqualTo(f.column("d").get(r));
                assertThat(row.get(2)).isEqualTo(f.column("b").get(r));
                assertThat(row.get(3)).isEqualTo(f.column("s").get(r));
                assertThat(row.get(4)).isEqualTo(f.column("y").get(r));
                assertThat(row.get(7)).isEqualTo(f.column("a").get(r));
                java.time.Instant t = (java.time.Instant) f.column("t").get(r);
                assertThat(row.get(5)).as("row %d", r).isEqualTo(t == null ? null
                        : t.getEpochSecond() * 1_000_000_000L + t.getNano());
                java.time.Duration u = (java.time.Duration) f.column("u").get(r);
                if (u == null) {
                    assertThat(row.get(6)).isNull();
                } else {
                    // An INTERVAL holds microseconds.
                    assertThat((Double) row.get(6)).as("row %d", r)
                            .isCloseTo(u.toNanos() / 1e9, org.assertj.core.data.Offset.offset(1e-6));
                }
            }
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "INSERT INTO t VALUES (1)|INSERT",
        "UPDATE t SET x = 1|UPDATE",
        "DELETE FROM t|DELETE",
        "CREATE TABLE u AS SELECT * FROM t|CREATE",
        "CREATE VIEW w AS SELECT 1|CREATE",
        "CREATE MACRO m(a) AS a + 1|CREATE",
        "DROP TABLE t|DROP",
        "COPY t TO 'OUT'|COPY",
        "COPY (SELECT * FROM t) TO 'OUT' (FORMAT parquet)|COPY",
        "ATTACH 'OUT' AS other|ATTACH",
        "INSTALL httpfs|INSTALL",
        "LOAD json|LOAD",
        "SET enable_external_access = true|SET",
        "RESET lock_configuration|RESET",
        "PRAGMA memory_limit = '1GB'|PRAGMA",
        "CALL pragma_version()|CALL",
        "EXPORT DATABASE 'OUT'|EXPORT",
        "CHECKPOINT|CHECKPOINT",
        "BEGIN TRANSACTION|BEGIN",
        "WITH a AS (SELECT 1) DELETE FROM t|WITH ... DELETE",
        "SELECT 1; DROP TABLE t|DROP",
        "SELECT 1; SELECT 2|",
    })
    void everyStatementThatIsNotOneSelectIsRefusedAndTheVaultIsUnchanged(String statement, String kind)
            throws Exception {
        Path out = tmp.resolve("out");
        String sql = statement.replace("OUT", out.toString());
        try (Vault v = Fixtures.create(tmp.resolve("v"))) {
            Fixtures.write(v, "t", longs(1L, 2L));
            List<String> before = state(v);
            assertThatThrownBy(() -> query(v, sql, 10))
                    .isInstanceOfSatisfying(TableVaultException.class, e -> {
                        if (kind != null) {
                            assertThat(e.code()).isEqualTo(ErrorCode.READ_ONLY);
                            assertThat(e).hasMessageContaining("read-only")
                                    .hasMessageContaining(": " + kind + " statements are refused");
                        } else {
                            assertThat(e.code()).isEqualTo(ErrorCode.BAD_ARGUMENT);
                            assertThat(e).hasMessageContaining("exactly one SELECT statement, not 2");
                        }
                    });
            assertThat(state(v)).isEqualTo(before);
            assertThat(out).doesNotExist();
        }
    }

    @Test
    void theLockedDuckDbItselfRefusesFilesAndSettingsEvenPastTheStatementCheck() throws Exception {
        Path out = tmp.resolve("out.csv");
        Files.writeString(tmp.resolve("in.csv"), "a\n1\n");
        try (Connection duck = DuckSession.open(true); Statement s = duck.createStatement()) {
            for (String sql : List.of("COPY (SELECT 1) TO '" + out + "'", "SET enable_external_access = true",
                    "SET lock_configuration = false", "ATTACH '" + tmp.resolve("x.db") + "'",
                    "SELECT * FROM read_csv('" + tmp.resolve("in.csv") + "')", "INSTALL httpfs")) {
                assertThatThrownBy(() -> s.execute(sql)).as(sql).isInstanceOf(SQLException.class);
            }
        }
        assertThat(out).doesNotExist();
        assertThat(tmp.resolve("x.db")).doesNotExist();
        try (Vault v = Fixtures.create(tmp.resolve("v"))) {
            Fixtures.write(v, "t", longs(1L));
            assertThatThrownBy(() -> query(v, "SELECT * FROM read_csv('" + tmp.resolve("in.csv") + "')", 10))
                    .isInstanceOfSatisfying(TableVaultException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_ARGUMENT))
                    .hasMessageContaining("vault tables only");
        }
    }

    @Test
    void aQueryReadingATableTwiceSeesOneVersionWhileTheTableIsRewritten() throws Exception {
        try (Vault v = Fixtures.create(tmp.resolve("v"))) {
            Fixtures.write(v, "t", constant(1L, 5_000));
            try (ArrowReader r = VaultSql.query(v, "SELECT a.x AS ax, b.x AS bx FROM t a POSITIONAL JOIN t b",
                    SqlOptions.defaults().batchRows(100), allocator)) {
                VectorSchemaRoot root = r.getVectorSchemaRoot();
                assertThat(r.loadNextBatch()).isTrue();
                List<List<Object>> rows = new ArrayList<>(rows(root));
                // A new latest instance with other values, written while the query still streams.
                Fixtures.write(v, "t", constant(2L, 5_000));
                while (r.loadNextBatch()) {
                    rows.addAll(rows(root));
                }
                assertThat(rows).hasSize(5_000).allSatisfy(row -> assertThat(row).containsExactly(1L, 1L));
            }
            try (ArrowSnapshot snap = VaultArrow.snapshot(v)) {
                Fixtures.write(v, "t", constant(3L, 10));
                try (ArrowReader r = VaultSql.query(snap, "SELECT DISTINCT x FROM t UNION ALL"
                        + " SELECT DISTINCT x FROM t", SqlOptions.defaults(), allocator)) {
                    assertThat(drain(r)).containsExactly(List.of(2L), List.of(2L));
                }
            }
            assertThat(query(v, "SELECT DISTINCT x FROM t", 10)).containsExactly(List.of(3L));
        }
    }

    @Test
    void syntaxAndBinderErrorsAreBadArgumentWithDuckDbsMessage() throws Exception {
        try (Vault v = Fixtures.create(tmp.resolve("v"))) {
            Fixtures.write(v, "t", longs(1L));
            assertThatThrownBy(() -> query(v, "SELEC x FROM t", 10))
                    .isInstanceOfSatisfying(TableVaultException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_ARGUMENT))
                    .hasMessageContaining("syntax error at or near \"SELEC\"");
            assertThatThrownBy(() -> query(v, "SELECT nope FROM t", 10))
                    .isInstanceOfSatisfying(TableVaultException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_ARGUMENT))
                    .hasMessageContaining("Binder Error").hasMessageContaining("nope");
            assertThatThrownBy(() -> query(v, "SELECT CAST('a' AS INTEGER) FROM t", 10))
                    .isInstanceOfSatisfying(TableVaultException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_ARGUMENT))
                    .hasMessageContaining("Conversion Error");
            assertThatThrownBy(() -> query(v, "  ", 10)).hasMessageContaining("empty");
            assertThatThrownBy(() -> query(v, "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r, t"
                    + " WHERE n < 3) SELECT * FROM r", 10))
                    .isInstanceOfSatisfying(TableVaultException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_ARGUMENT))
                    .hasMessageContaining("MATERIALIZED");
            assertThat(query(v, "WITH RECURSIVE m AS MATERIALIZED (SELECT x FROM t), r(n) AS (SELECT 1 UNION ALL"
                    + " SELECT n + 1 FROM r, m WHERE n < 3) SELECT max(n) FROM r", 10)).containsExactly(List.of(3));
        }
    }

    @Test
    void aFailedVaultReadIsReportedAsItselfNotAsDuckDbsTextOfIt() throws Exception {
        Frame.Builder b = Frame.builder().column("x", ColumnType.LONG).column("t", ColumnType.TIMESTAMP);
        for (int i = 0; i < 3_000; i++) {
            // Row 2,500 holds a time outside Arrow's 64-bit nanoseconds: its batch fails mid-query.
            b.row((long) i, i == 2_500 ? java.time.Instant.parse("3000-01-01T00:00:00Z") : java.time.Instant.EPOCH);
        }
        try (Vault v = Fixtures.create(tmp.resolve("v"))) {
            Fixtures.write(v, "t", b.build());
            assertThat(query(v, "SELECT count(*) FROM t", 1_000)).containsExactly(List.of(3_000L));
            assertThatThrownBy(() -> query(v, "SELECT count(*), max(t) FROM t", 1_000))
                    .isInstanceOfSatisfying(TableVaultException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_ARGUMENT))
                    .hasMessageStartingWith("instance ").hasMessageContaining("column 't' row 2500")
                    .hasMessageContaining("outside what Arrow's 64-bit nanoseconds hold")
                    .message().doesNotContain("arrow_scan");
        }
    }

    @Test
    void cteNamesShadowTablesAndOnlyNamedColumnsAreRead() throws Exception {
        try (Vault v = Fixtures.create(tmp.resolve("v"))) {
            Fixtures.write(v, "t", Frame.builder().column("x", ColumnType.LONG).column("o", ColumnType.OBJECT)
                    .row(5L, new ArrayList<>(List.of(1))).row(6L, null).build());
            // An OBJECT column has no Arrow form: it is read only when named, so these never touch it.
            assertThat(query(v, "SELECT count(*), sum(x) FROM t", 10))
                    .containsExactly(List.of(2L, java.math.BigDecimal.valueOf(11)));
            assertThat(query(v, "SELECT * FROM t ORDER BY x", 10)).containsExactly(List.of(5L), List.of(6L));
            assertThatThrownBy(() -> query(v, "SELECT o FROM t", 10))
                    .isInstanceOfSatisfying(TableVaultException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_ARGUMENT))
                    .hasMessageContaining("'o' is an OBJECT column");
            assertThat(query(v, "WITH t AS (SELECT 42 AS x) SELECT x FROM t", 10)).containsExactly(List.of(42));
            assertThat(query(v, "WITH c AS (SELECT x FROM t) SELECT sum(c.x) FROM c, t u WHERE c.x = u.x", 10))
                    .containsExactly(List.of(java.math.BigDecimal.valueOf(11)));
        }
    }

    private List<List<Object>> query(Vault v, String sql, int batchRows) throws IOException {
        try (ArrowReader r = VaultSql.query(v, sql, SqlOptions.defaults().batchRows(batchRows), allocator)) {
            return drain(r);
        }
    }

    private static List<List<Object>> drain(ArrowReader r) throws IOException {
        List<List<Object>> out = new ArrayList<>();
        VectorSchemaRoot root = r.getVectorSchemaRoot();
        while (r.loadNextBatch()) {
            out.addAll(rows(root));
        }
        return out;
    }

    private static List<List<Object>> rows(VectorSchemaRoot root) {
        List<List<Object>> out = new ArrayList<>();
        for (int i = 0; i < root.getRowCount(); i++) {
            List<Object> row = new ArrayList<>();
            for (FieldVector fv : root.getFieldVectors()) {
                Object o = fv.getObject(i);
                row.add(o instanceof Text t ? t.toString() : o);
            }
            out.add(row);
        }
        return out;
    }

    /** Tables, every instance and the history: what a refused statement must leave as it was. */
    private static List<String> state(Vault v) {
        List<String> s = new ArrayList<>();
        for (String t : v.tables()) {
            for (String i : v.instances(t, null, true)) {
                try (RowCursor c = v.rows(t, ReadOptions.id(i))) {
                    List<Object> all = new ArrayList<>();
                    c.forEachRemaining(all::add);
                    s.add(t + "/" + i + "=" + all);
                }
            }
        }
        v.processHistory(1_000).forEach(p -> s.add(p.id() + ":" + p.state()));
        return s;
    }

    private static Frame longs(Long... xs) {
        Frame.Builder b = Frame.builder().column("x", ColumnType.LONG);
        for (Long x : xs) {
            b.row(x);
        }
        return b.build();
    }

    private static Frame constant(long x, int rows) {
        Frame.Builder b = Frame.builder().column("x", ColumnType.LONG);
        for (int i = 0; i < rows; i++) {
            b.row(x);
        }
        return b.build();
    }
}
