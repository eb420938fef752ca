package dev.tablevault.tools;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The progress bar ({@code --progress}): rows, rows/s and the ETA per builder, on stderr, finished with its line
 * before anything else is printed; for {@code execute}, {@code resume} and {@code restart} alike.
 */
class ProgressTest {
    @TempDir
    Path tmp;
    Cli cli;
    Path down;

    /** Table t: 300 rows, and a column from a service that fails while {@code down} exists. */
    @BeforeEach
    void setUp() throws Exception {
        cli = new Cli(tmp.resolve("vault"));
        down = tmp.resolve("service-down");
        assertThat(cli.tv("init").exit()).isZero();
        assertThat(cli.tv("create-table", "t").exit()).isZero();
        assertThat(cli.tv("create-instance", "t").exit()).isZero();
        put("t_index.yaml", "name: t_index\ntype: index\nbuilder: range\nchangedColumns: [id]\ntypes: {id: long}\n"
                + "arguments: {count: 300}\n");
        put("answer.yaml", "name: answer\ntype: column\nbuilder: external\nchangedColumns: [answer]\n"
                + "arguments: {failWhileFileExists: '" + down + "'}\n");
    }

    private void put(String file, String yaml) throws Exception {
        Path spec = Files.writeString(tmp.resolve(file), yaml);
        assertThat(cli.tv("builder", "put", "t", spec.toString()).exit()).isZero();
    }

    /** The bar's last render: each builder complete, with its speed; then the line ends. */
    private static void finishedBars(Cli.Result r) {
        assertThat(r.err()).contains("2/2 answer", "300/300 rows", "rows/s").endsWith("\n");
        String last = r.err().substring(r.err().lastIndexOf('\r') + 1);
        assertThat(last).as("the last render, then a newline").contains("2/2 answer", "100%").endsWith("\n");
    }

    @Test
    void executeShowsRowsSpeedAndEtaAndEndsItsLine() {
        Cli.Result r = cli.tv("execute", "t", "--progress");
        assertThat(r.exit()).as(r.err()).isZero();
        finishedBars(r);
        assertThat(r.outLines()).singleElement().asString().startsWith("executed t version base as base_");
    }

    @Test
    void resumeShowsTheBarToo() throws Exception {
        Files.createFile(down);
        Cli.Result paused = cli.tv("execute", "t", "--process-id", "run-1", "--progress");
        assertThat(paused.exit()).isEqualTo(Errors.PAUSED);
        assertThat(paused.errLines().get(paused.errLines().size() - 1)).startsWith("tv: PAUSED: process run-1");
        Files.delete(down);
        Cli.Result r = cli.tv("resume", "run-1", "--progress");
        assertThat(r.exit()).as(r.err()).isZero();
        finishedBars(r);
        assertThat(r.out()).isEqualTo("resumed run-1: COMMITTED\n");
    }

    @Test
    void restartShowsTheBarToo() throws Exception {
        Files.createFile(down);
        assertThat(cli.tv("execute", "t", "--process-id", "run-1").exit()).isEqualTo(Errors.PAUSED);
        Files.delete(down);
        Cli.Result r = cli.tv("restart", "--progress");
        assertThat(r.exit()).as(r.err()).isZero();
        finishedBars(r);
        assertThat(r.out()).startsWith("restart done: 0 active process(es) left");
    }
}
