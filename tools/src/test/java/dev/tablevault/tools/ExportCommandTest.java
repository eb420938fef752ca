package dev.tablevault.tools;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code tv export} in every format and {@code tv write --file} of what it wrote: the rows come back as they were
 * ({@code tv show} prints the same), and malformed input or a bad request is a typed error that changes nothing.
 */
class ExportCommandTest {
    private static final String CSV = "id:long,title,score:double,seen:boolean,at:timestamp,took:duration,raw:bytes\n"
            + "1,The Lighthouse,4.5,true,2024-05-01T09:30:00.123456789Z,PT1.5S,AQI=\n"
            + "2,\"Night Train, Part 2\",,false,,,\n"
            + "3,,-1e3,TRUE,2024-05-02T00:00:00Z,PT0S,\n";

    @TempDir
    Path tmp;
    Cli cli;

    @BeforeEach
    void setUp() throws Exception {
        cli = new Cli(tmp.resolve("vault"));
        ok(cli.tv("init"));
        ok(cli.tv("create-table", "stories"));
        ok(cli.tv("create-instance", "stories", "--external-edit"));
        Path csv = Files.writeString(tmp.resolve("in.csv"), CSV);
        ok(cli.tv("write", "stories", "--csv", csv.toString()));
    }

    private static void ok(Cli.Result r) {
        assertThat(r.err()).as("stderr").isEmpty();
        assertThat(r.exit()).as("exit code; stdout: %s", r.out()).isZero();
    }

    /** Writes {@code file} into a new table and returns what {@code tv show} prints of it. */
    private String loadAndShow(String table, String... writeArgs) {
        ok(cli.tv("create-table", table));
        ok(cli.tv("create-instance", table, "--external-edit"));
        String[] args = new String[writeArgs.length + 2];
        args[0] = "write";
        args[1] = table;
        System.arraycopy(writeArgs, 0, args, 2, writeArgs.length);
        ok(cli.tv(args));
        Cli.Result show = cli.tv("show", table);
        ok(show);
        return show.out();
    }

    @Test
    void parquetArrowAndCsvExportsWriteBackTheSameRows() throws Exception {
        String shown = cli.tv("show", "stories").out();
        Path parquet = tmp.resolve("s.parquet");
        Path arrow = tmp.resolve("s.arrow");
        Cli.Result p = cli.tv("export", "stories", "--format", "parquet", "--out", parquet.toString());
        ok(p);
        assertThat(p.out()).contains("exported 3 rows of stories as parquet to " + parquet);
        ok(cli.tv("export", "stories", "--format", "arrow", "--out", arrow.toString()));
        Cli.Result csv = cli.tv("export", "stories", "--format", "csv");
        ok(csv);
        assertThat(csv.out()).isEqualTo(shown);
        Path csvFile = Files.writeString(tmp.resolve("s.csv"), csv.out());

        assertThat(loadAndShow("from_parquet", "--file", parquet.toString())).isEqualTo(shown);
        assertThat(loadAndShow("from_arrow", "--file", arrow.toString())).isEqualTo(shown);
        assertThat(loadAndShow("from_feather", "--file", arrow.toString(), "--format", "arrow")).isEqualTo(shown);
        assertThat(loadAndShow("from_csv", "--csv", csvFile.toString())).isEqualTo(shown);
        assertThat(tmp).isDirectoryNotContaining(f -> f.getFileName().toString().contains(".tv-export-"));
    }

    @Test
    void jsonLinesAndChosenColumnsGoToStdout() {
        Cli.Result r = cli.tv("export", "stories", "--format", "jsonl", "--columns", "title,id");
        ok(r);
        assertThat(r.outLines()).containsExactly("{\"title\":\"The Lighthouse\",\"id\":1}",
                "{\"title\":\"Night Train, Part 2\",\"id\":2}", "{\"title\":null,\"id\":3}");
    }

    @Test
    void arrowGoesToStdoutAsBytes() throws Exception {
        PrintStream before = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(bytes, true));
            ok(cli.tv("export", "stories", "--format", "arrow", "--columns", "id"));
        } finally {
            System.setOut(before);
        }
        Path file = Files.write(tmp.resolve("out.arrow"), bytes.toByteArray());
        assertThat(Arrays.copyOf(bytes.toByteArray(), 6)).isEqualTo("ARROW1".getBytes());
        assertThat(loadAndShow("ids", "--file", file.toString())).isEqualTo("id:long\n1\n2\n3\n");
    }

    @Test
    void badRequestsAndMalformedFilesAreTypedErrorsThatChangeNothing() throws Exception {
        Cli.Result noOut = cli.tv("export", "stories", "--format", "parquet");
        assertThat(noOut.exit()).isEqualTo(2);
        assertThat(noOut.err()).contains("--format parquet needs --out FILE");
        assertThat(cli.tv("export", "stories", "--format", "xml").err()).contains("--format must be arrow, parquet");
        Cli.Result column = cli.tv("export", "stories", "--format", "csv", "--columns", "nope");
        assertThat(column.exit()).isEqualTo(10);
        assertThat(column.err()).contains("has no column 'nope'");
        assertThat(cli.tv("export", "missing", "--format", "csv").exit()).isEqualTo(12);

        Path parquet = tmp.resolve("s.parquet");
        ok(cli.tv("export", "stories", "--format", "parquet", "--out", parquet.toString()));
        byte[] whole = Files.readAllBytes(parquet);
        Path cut = Files.write(tmp.resolve("cut.parquet"), Arrays.copyOf(whole, whole.length / 2));
        Path text = Files.writeString(tmp.resolve("text.arrow"), "not arrow at all");
        ok(cli.tv("create-instance", "stories", "--external-edit"));
        String instances = cli.tv("instances", "stories", "--temp").out();
        String history = cli.tv("history").out();
        for (Path bad : new Path[] {cut, text}) {
            Cli.Result r = cli.tv("write", "stories", "--file", bad.toString());
            assertThat(r.exit()).as(r.err()).isEqualTo(10);
            assertThat(r.err()).contains(bad.toString()).contains("nothing was loaded");
        }
        assertThat(cli.tv("instances", "stories", "--temp").out()).isEqualTo(instances);
        assertThat(cli.tv("history").out()).isEqualTo(history);
        assertThat(cli.tv("verify").exit()).isZero();
        Cli.Result mixed = cli.tv("write", "stories", "--csv", text.toString(), "--format", "arrow");
        assertThat(mixed.exit()).isEqualTo(2);
    }
}
