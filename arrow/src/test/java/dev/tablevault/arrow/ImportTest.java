package dev.tablevault.arrow;

import dev.tablevault.api.BuilderSpec;
import dev.tablevault.api.Column;
import dev.tablevault.api.ColumnType;
import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.ExecuteOptions;
import dev.tablevault.api.Frame;
import dev.tablevault.api.InstanceOptions;
import dev.tablevault.api.OpOptions;
import dev.tablevault.api.ReadOptions;
import dev.tablevault.api.TableOptions;
import dev.tablevault.api.TableVaultException;
import dev.tablevault.api.Vault;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.duckdb.DuckDBResultSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Files written by DuckDB (Parquet by COPY, Arrow IPC by Arrow's writer from DuckDB's own Arrow stream) load into a
 * vault intact; types no column holds, and malformed or truncated files, are typed errors that change nothing;
 * the {@code arrow} built-in builder loads both formats.
 */
class ImportTest {
    /** Every DuckDB type we load, with the values the vault must hold; row 2 all null. */
    private static final String DUCK_TABLE = "CREATE TABLE src AS SELECT * FROM (VALUES"
            + " (1::BIGINT, -5::INTEGER, 7::SMALLINT, 200::UTINYINT, 4000000000::UINTEGER, 1.5::DOUBLE, 2.5::FLOAT,"
            + "  true, 'é漢😀', '\\x01\\xff'::BLOB, TIMESTAMP '2024-01-02 03:04:05.123456',"
            + "  TIMESTAMPTZ '2024-01-02 03:04:05.5+00', '2024-01-02 03:04:05.123456789'::TIMESTAMP_NS,"
            + "  DATE '2024-03-04', 18446744073709551615::UBIGINT),"
            + " (-9223372036854775808, 2147483647, -32768, 0, 0, '-0.0'::DOUBLE, -1e30::FLOAT, false, '', ''::BLOB,"
            + "  TIMESTAMP '1900-01-01 00:00:00', TIMESTAMPTZ '1969-12-31 23:59:59.999999+00',"
            + "  '1677-09-22 00:00:00'::TIMESTAMP_NS, DATE '1970-01-01', 1::UBIGINT),"
            + " (NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL))"
            + " t(big, i, small, utiny, uint, dbl, flt, bool, txt, blob, ts, tstz, tsns, dt, ubig)";

    private static final List<String> LOADABLE = List.of("big", "i", "small", "utiny", "uint", "dbl", "flt",
            "bool", "txt", "blob", "ts", "tstz", "tsns", "dt");

    @TempDir
    Path tmp;

    private static Frame expected() {
        return Frame.builder().column("big", ColumnType.LONG).column("i", ColumnType.LONG)
                .column("small", ColumnType.LONG).column("utiny", ColumnType.LONG).column("uint", ColumnType.LONG)
                .column("dbl", ColumnType.DOUBLE).column("flt", ColumnType.DOUBLE).column("bool", ColumnType.BOOLEAN)
                .column("txt", ColumnType.STRING).column("blob", ColumnType.BYTES)
                .column("ts", ColumnType.TIMESTAMP).column("tstz", ColumnType.TIMESTAMP)
                .column("tsns", ColumnType.TIMESTAMP).column("dt", ColumnType.TIMESTAMP)
                .row(1L, -5L, 7L, 200L, 4_000_000_000L, 1.5, 2.5, true, "é漢😀", new byte[] {1, (byte) 0xff},
                        Instant.parse("2024-01-02T03:04:05.123456Z"), Instant.parse("2024-01-02T03:04:05.5Z"),
                        Instant.parse("2024-01-02T03:04:05.123456789Z"), Instant.parse("2024-03-04T00:00:00Z"))
                .row(Long.MIN_VALUE, 2_147_483_647L, -32_768L, 0L, 0L, -0.0, (double) -1e30f, false, "", new byte[0],
                        Instant.parse("1900-01-01T00:00:00Z"), Instant.parse("1969-12-31T23:59:59.999999Z"),
                        Instant.parse("1677-09-22T00:00:00Z"), Instant.EPOCH)
                .row(null, null, null, null, null, null, null, null, null, null, null, null, null, null).build();
    }

    /** Writes DuckDB's table {@code src} (columns {@code select}) as Parquet and as Arrow IPC. */
    private void duckFiles(String select, Path parquet, Path arrow) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement()) {
            st.execute(DUCK_TABLE);
            st.execute("COPY (SELECT " + select + " FROM src) TO '" + parquet + "' (FORMAT parquet)");
            try (BufferAllocator a = new RootAllocator();
                 ResultSet rs = st.executeQuery("SELECT " + select + " FROM src");
                 ArrowReader r = (ArrowReader) rs.unwrap(DuckDBResultSet.class).arrowExportStream(a, 2);
                 FileChannel ch = FileChannel.open(arrow, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                 ArrowFileWriter w = new ArrowFileWriter(r.getVectorSchemaRoot(), null, ch)) {
                w.start();
                while (r.loadNextBatch()) {
                    w.writeBatch();
                }
                w.end();
            }
        }
    }

    @Test
    void filesDuckDbWroteLoadIntoAVaultIntact() throws Exception {
        Path parquet = tmp.resolve("d.parquet");
        Path arrow = tmp.resolve("d.arrow");
        duckFiles(String.join(", ", LOADABLE), parquet, arrow);
        Frame want = expected();
        assertThat(ArrowImport.readFrame(parquet, null)).isEqualTo(want);
        assertThat(ArrowImport.readFrame(arrow, null)).isEqualTo(want);
        try (Vault v = Fixtures.create(tmp.resolve("v"))) {
            Fixtures.write(v, "p", ArrowImport.readFrame(parquet, ArrowImport.Format.PARQUET));
            Fixtures.write(v, "a", ArrowImport.readFrame(arrow, ArrowImport.Format.ARROW));
            assertThat(v.dataframe("p", ReadOptions.latest())).isEqualTo(want);
            assertThat(v.dataframe("a", ReadOptions.latest())).isEqualTo(want);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"ubig", "12.5::DECIMAL(10,2) AS dec", "[1, 2] AS lst", "{'x': 1} AS st",
            "TIME '01:02:03' AS tm", "INTERVAL 1 DAY AS iv"})
    void aTypeNoColumnHoldsIsATypedErrorNamingTheColumn(String select) throws Exception {
        Path parquet = tmp.resolve("d.parquet");
        Path arrow = tmp.resolve("d.arrow");
        duckFiles("big, " + select, parquet, arrow);
        String column = select.contains(" AS ") ? select.substring(select.indexOf(" AS ") + 4) : select;
        for (Path f : List.of(parquet, arrow)) {
            assertThatThrownBy(() -> ArrowImport.readFrame(f, null))
                    .isInstanceOfSatisfying(TableVaultException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_ARGUMENT))
                    .hasMessageContaining(f.toString()).hasMessageContaining("column '" + column + "'");
        }
    }

    @Test
    void malformedAndTruncatedFilesAreTypedErrorsNamingTheFile() throws Exception {
        Path parquet = tmp.resolve("d.parquet");
        Path arrow = tmp.resolve("d.arrow");
        duckFiles(String.join(", ", LOADABLE), parquet, arrow);
        byte[] p = Files.readAllBytes(parquet);
        byte[] a = Files.readAllBytes(arrow);
        byte[] garbage = new byte[4_000];
        new Random(7).nextBytes(garbage);
        List<Path> bad = List.of(
                write("empty.arrow", new byte[0]),
                write("garbage.bin", garbage),
                write("text.parquet", "id,name\n1,a\n".getBytes()),
                write("cut.parquet", Arrays.copyOf(p, p.length / 2)),
                write("cut.arrow", Arrays.copyOf(a, a.length - 40)),
                write("head.arrow", Arrays.copyOf(a, 8)),
                write("flipped.arrow", flip(a, a.length - 60)),
                tmp.resolve("missing.arrow"));
        for (Path f : bad) {
            assertThatThrownBy(() -> ArrowImport.readFrame(f, null)).as(f.getFileName().toString())
                    .isInstanceOfSatisfying(TableVaultException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_ARGUMENT))
                    .hasMessageContaining(f.toString());
        }
        assertThatThrownBy(() -> ArrowImport.readFrame(parquet, ArrowImport.Format.ARROW))
                .isInstanceOf(TableVaultException.class).hasMessageContaining("not a readable Arrow IPC file");
        assertThatThrownBy(() -> ArrowImport.readFrame(arrow, ArrowImport.Format.PARQUET))
                .isInstanceOf(TableVaultException.class).hasMessageContaining("not a readable Parquet file");
    }

    @ParameterizedTest
    @ValueSource(strings = {"whole-column", "generator"})
    void theArrowBuiltinLoadsBothFormatsAndRefusesBadFilesWithoutChangingTheVault(String mode) throws Exception {
        Frame f = Fixtures.everyType(3_000, 21);
        Frame noArtifacts = Frame.ofColumns(f.columns().subList(0, 7), f.columns().subList(0, 7).stream()
                .map(c -> f.column(c.name())).toList());
        Path parquet = tmp.resolve("t.parquet");
        Path arrow = tmp.resolve("t.arrow");
        try (Vault v = Fixtures.create(tmp.resolve("v"))) {
            Fixtures.write(v, "src", noArtifacts);
            try (ArrowSnapshot snap = VaultArrow.snapshot(v); OutputStream out = Files.newOutputStream(arrow)) {
                ArrowExport.parquet(snap, "src", null, null, parquet, null);
                ArrowExport.arrow(snap, "src", null, null, out, null);
            }
            for (Path file : List.of(parquet, arrow)) {
                String table = "from_" + file.getFileName().toString().replace('.', '_');
                v.createTable(table, TableOptions.defaults());
                v.createInstance(table, InstanceOptions.defaults());
                v.putBuilder(table, "base", spec(table, mode, file), OpOptions.defaults());
                v.executeInstance(table, ExecuteOptions.defaults());
                assertThat(v.dataframe(table, ReadOptions.latest())).isEqualTo(noArtifacts);
            }
            Path broken = write("broken.parquet", Arrays.copyOf(Files.readAllBytes(parquet), 100));
            v.createTable("broken", TableOptions.defaults());
            v.createInstance("broken", InstanceOptions.defaults());
            v.putBuilder("broken", "base", spec("broken", mode, broken), OpOptions.defaults());
            List<String> before = v.instances("broken", null, true);
            assertThatThrownBy(() -> v.executeInstance("broken", ExecuteOptions.defaults()))
                    .isInstanceOfSatisfying(TableVaultException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_BUILDER))
                    .hasMessageContaining(broken.toString());
            assertThat(v.instances("broken", null, true)).isEqualTo(before);
            assertThat(v.instances("broken", null, false)).isEmpty();
            assertThat(v.verify().errors()).isEmpty();
        }
    }

    @Test
    void theArrowBuiltinNamesAColumnMissingOrOfAnotherType() throws Exception {
        Path arrow = tmp.resolve("t.arrow");
        try (Vault v = Fixtures.create(tmp.resolve("v"))) {
            Fixtures.write(v, "src", Frame.builder().column("id", ColumnType.LONG).row(1L).build());
            try (ArrowSnapshot snap = VaultArrow.snapshot(v); OutputStream out = Files.newOutputStream(arrow)) {
                ArrowExport.arrow(snap, "src", null, null, out, null);
            }
            v.createTable("t", TableOptions.defaults());
            v.createInstance("t", InstanceOptions.defaults());
            v.putBuilder("t", "base", BuilderSpec.fromYaml("name: t_index\ntype: index\nbuilder: arrow\n"
                    + "changedColumns: [idx]\ntypes: {idx: long}\narguments: {path: '" + arrow + "'}\n"),
                    OpOptions.defaults());
            assertThatThrownBy(() -> v.executeInstance("t", ExecuteOptions.defaults()))
                    .hasMessageContaining("column 'idx' is not in " + arrow).hasMessageContaining("[id]");
            v.putBuilder("t", "base", BuilderSpec.fromYaml("name: t_index\ntype: index\nbuilder: arrow\n"
                    + "changedColumns: [id]\ntypes: {id: double}\narguments: {path: '" + arrow + "'}\n"),
                    OpOptions.defaults());
            assertThatThrownBy(() -> v.executeInstance("t", ExecuteOptions.defaults()))
                    .hasMessageContaining("loads as long, but the spec declares it double");
        }
    }

    private static BuilderSpec spec(String table, String mode, Path file) {
        return BuilderSpec.fromYaml("name: " + table + "_index\ntype: index\nbuilder: arrow\nmode: " + mode
                + "\nchangedColumns: [l, d, b, s, y, t, u]\n"
                + "types: {l: long, d: double, b: boolean, s: string, y: bytes, t: timestamp, u: duration}\n"
                + "arguments: {path: '" + file + "'}\n");
    }

    private Path write(String name, byte[] b) throws Exception {
        return Files.write(tmp.resolve(name), b);
    }

    private static byte[] flip(byte[] b, int at) {
        byte[] c = b.clone();
        for (int i = at; i < Math.min(c.length, at + 16); i++) {
            c[i] = (byte) ~c[i];
        }
        return c;
    }

    @Test
    void durationsAndArtifactsKeepTheirTypesThroughParquet() throws Exception {
        Frame f = Frame.builder().column("u", ColumnType.DURATION).column("a", ColumnType.ARTIFACT)
                .row(Duration.ofNanos(-1), "x/y.bin").row(null, null).build();
        Path parquet = tmp.resolve("t.parquet");
        try (Vault v = Fixtures.create(tmp.resolve("v"))) {
            Fixtures.write(v, "t", f);
            try (ArrowSnapshot snap = VaultArrow.snapshot(v)) {
                ArrowExport.parquet(snap, "t", null, null, parquet, null);
            }
        }
        Frame back = ArrowImport.readFrame(parquet, null);
        assertThat(back.columns()).containsExactly(new Column("u", ColumnType.DURATION),
                new Column("a", ColumnType.ARTIFACT));
        assertThat(back).isEqualTo(f);
    }
}
