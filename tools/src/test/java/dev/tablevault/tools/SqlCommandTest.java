package dev.tablevault.tools;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tablevault.api.ErrorCode;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code tv sql}: its output forms and files, a named instance, and the refusals with their exit codes. */
class SqlCommandTest {
    @TempDir
    Path tmp;
    private Cli cli;

    @BeforeEach
    void vault() throws Exception {
        cli = new Cli(tmp.resolve("v"));
        ok(cli.tv("init"));
        ok(cli.tv("create-table", "sales"));
        write("sales", "region:string,amount:double,n:long\nnorth,1.5,1\nsouth,2.0,2\nnorth,3.0,3\n");
    }

    @Test
    void aGroupByPrintsAsATextTableCsvAndJson() throws Exception {
        String q = "SELECT region, sum(amount) AS total, max(n) AS top FROM sales GROUP BY region ORDER BY region";
        Cli.Result text = cli.tv("sql", q);
        ok(text);
        assertThat(text.outLines()).containsExactly("region  total  top", "north   4.5    3", "south   2.0    2");

        Cli.Result csv = cli.tv("sql", "--csv", q);
        ok(csv);
        assertThat(csv.outLines()).containsExactly("region:string,total:double,top:long", "north,4.5,3",
                "south,2.0,2");
        // The CSV goes back into a table as it is.
        ok(cli.tv("create-table", "totals"));
        write("totals", csv.out());
        assertThat(cli.tv("show", "totals").out()).isEqualTo(csv.out());

        Cli.Result json = cli.tv("--json", "sql", q);
        ok(json);
        JsonNode j = Json.mapper().readTree(json.out());
        assertThat(j.path("columns").toString()).isEqualTo("[{\"name\":\"region\",\"type\":\"string\"},"
                + "{\"name\":\"total\",\"type\":\"double\"},{\"name\":\"top\",\"type\":\"long\"}]");
        assertThat(j.path("rows").toString()).isEqualTo("[[\"north\",4.5,3],[\"south\",2.0,2]]");

        assertThat(cli.tv("sql", "--limit", "1", q).outLines()).containsExactly("region  total  top",
                "north   4.5    3");
        assertThat(cli.tv("sql", "SELECT NULL AS x, 1 AS y").outLines()).containsExactly("x     y", "NULL  1");
    }

    @Test
    void aNamedInstanceIsQuotedAsTableAtId() throws Exception {
        String first = cli.tv("instances", "sales").ids().get(0);
        write("sales", "region:string,amount:double,n:long\neast,9.0,9\n");
        Cli.Result r = cli.tv("sql", "--csv", "SELECT count(*) AS now, (SELECT count(*) FROM \"sales@" + first
                + "\") AS before FROM sales");
        ok(r);
        assertThat(r.outLines()).containsExactly("now:long,before:long", "1,3");
    }

    @Test
    void writesAreRefusedReadOnlyAndQueryErrorsAreBadArgument() throws Exception {
        Cli.Result insert = cli.tv("sql", "INSERT INTO sales VALUES ('x', 1.0, 1)");
        assertThat(insert.exit()).isEqualTo(ErrorCode.READ_ONLY.exitCode());
        assertThat(insert.err()).contains("read-only").contains("INSERT statements are refused");
        Cli.Result copy = cli.tv("sql", "COPY sales TO '" + tmp.resolve("out.csv") + "'");
        assertThat(copy.exit()).isEqualTo(ErrorCode.READ_ONLY.exitCode());
        assertThat(tmp.resolve("out.csv")).doesNotExist();

        Cli.Result syntax = cli.tv("sql", "SELEC 1");
        assertThat(syntax.exit()).isEqualTo(ErrorCode.BAD_ARGUMENT.exitCode());
        assertThat(syntax.err()).contains("syntax error at or near \"SELEC\"");
        Cli.Result missing = cli.tv("sql", "SELECT * FROM nope");
        assertThat(missing.exit()).isEqualTo(ErrorCode.NOT_FOUND.exitCode());
        assertThat(cli.tv("sql", "--csv", "--limit", "-1", "SELECT 1").exit()).isEqualTo(2);
        assertThat(cli.tv("show", "sales").outLines()).hasSize(4);
    }

    @Test
    void theResultIsWrittenToAFileInEachFormat() throws Exception {
        String q = "SELECT region, sum(amount) AS total, max(n) AS top FROM sales GROUP BY region ORDER BY region";
        String csv = cli.tv("sql", "--csv", q).out();
        for (String format : List.of("arrow", "parquet", "csv", "jsonl")) {
            Path file = tmp.resolve("out." + format);
            Cli.Result r = cli.tv("sql", "--format", format, "--out", file.toString(), q);
            ok(r);
            assertThat(r.out()).isEqualTo("wrote 2 rows to " + file + " (" + format + ")\n");
        }
        assertThat(Files.readString(tmp.resolve("out.csv"))).isEqualTo(csv);
        assertThat(Files.readAllLines(tmp.resolve("out.jsonl"))).containsExactly(
                "{\"region\":\"north\",\"total\":4.5,\"top\":3}", "{\"region\":\"south\",\"total\":2.0,\"top\":2}");
        try (BufferAllocator a = new RootAllocator();
             ArrowFileReader r = new ArrowFileReader(Files.newByteChannel(tmp.resolve("out.arrow")), a)) {
            assertThat(r.loadNextBatch()).isTrue();
            assertThat(r.getVectorSchemaRoot().contentToTSVString())
                    .isEqualTo("region\ttotal\ttop\nnorth\t4.5\t3\nsouth\t2.0\t2\n");
        }
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT string_agg(region || '=' || total || '/' || top, ',') FROM '"
                     + tmp.resolve("out.parquet") + "'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("north=4.5/3,south=2.0/2");
        }
        assertThat(cli.tv("sql", "--format", "xml", "--out", "x", q).exit()).isEqualTo(2);
        assertThat(cli.tv("sql", "--out", "x", q).exit()).isEqualTo(2);
        assertThat(cli.tv("sql", "--format", "csv", "--out", "x", "--limit", "1", q).exit()).isEqualTo(2);
        Cli.Result bad = cli.tv("sql", "--format", "parquet", "--out", tmp.resolve("p.parquet").toString(),
                "DROP TABLE sales");
        assertThat(bad.exit()).isEqualTo(ErrorCode.READ_ONLY.exitCode());
        assertThat(tmp.resolve("p.parquet")).doesNotExist();
    }

    private void write(String table, String csv) throws Exception {
        ok(cli.tv("create-instance", table, "--external-edit"));
        Path file = Files.createTempFile(tmp, "in", ".csv");
        Files.writeString(file, csv);
        ok(cli.tv("write", table, "--csv", file.toString()));
    }

    private static void ok(Cli.Result r) {
        assertThat(r.exit()).as("exit; stderr: %s", r.err()).isZero();
    }
}
