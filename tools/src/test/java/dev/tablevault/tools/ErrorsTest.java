package dev.tablevault.tools;

import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.Vault;
import dev.tablevault.api.VaultOptions;
import dev.tablevault.engine.PausedProcesses;
import dev.tablevault.engine.TableVault;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Exit codes and the one-line error format. */
class ErrorsTest {
    @TempDir
    Path tmp;
    Cli cli;

    @BeforeEach
    void setUp() {
        cli = new Cli(tmp.resolve("vault"));
        assertThat(cli.tv("init").exit()).isZero();
    }

    private static void fails(Cli.Result r, ErrorCode code) {
        assertThat(r.exit()).as("exit code; stderr: %s", r.err()).isEqualTo(code.exitCode());
        assertThat(r.out()).isEmpty();
        assertThat(r.errLines()).singleElement().asString().startsWith("tv: " + code.name() + ": ");
    }

    @Test
    void badTableNameExitsWithBadArgument() {
        Cli.Result r = cli.tv("create-table", "bad name!");
        fails(r, ErrorCode.BAD_ARGUMENT);
        assertThat(r.err()).contains("'bad name!'");
        assertThat(cli.tv("tables").out()).isEmpty();
    }

    @Test
    void reservedAndDuplicateAndMissingTables() {
        fails(cli.tv("create-table", "index"), ErrorCode.BAD_ARGUMENT);
        assertThat(cli.tv("create-table", "t").exit()).isZero();
        fails(cli.tv("create-table", "t"), ErrorCode.ALREADY_EXISTS);
        fails(cli.tv("instances", "nope"), ErrorCode.NOT_FOUND);
        fails(cli.tv("show", "t"), ErrorCode.NOT_FOUND);
    }

    @Test
    void unknownSubcommandExitsTwoWithOneLine() {
        Cli.Result r = cli.tv("tabels");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.errLines()).singleElement().asString()
                .startsWith("tv: USAGE: Unmatched argument").contains("'tabels'", "did you mean tables");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void otherUsageErrorsExitTwo() throws Exception {
        assertThat(Cli.raw("tables").exit()).isEqualTo(2);                          // no --vault
        assertThat(Cli.raw("tables").err()).contains("--vault");
        assertThat(cli.tv().exit()).isEqualTo(2);                                   // no command
        assertThat(cli.tv("builder").exit()).isEqualTo(2);
        assertThat(cli.tv("show", "t", "--limit", "many").exit()).isEqualTo(2);
        assertThat(cli.tv("show", "t", "--id", "x", "--version", "v").exit()).isEqualTo(2);
        assertThat(cli.tv("write", "t").exit()).isEqualTo(2);                       // --csv is required
        Cli.Result rows = cli.tv("execute", "t", "--checkpoint-rows", "0");           // ExecuteOptions would throw
        assertThat(rows.exit()).isEqualTo(2);
        assertThat(rows.errLines()).singleElement().asString().startsWith("tv: USAGE: --checkpoint-rows must be >= 1");
        assertThat(cli.tv("execute", "t", "--checkpoint-millis", "-5").exit()).isEqualTo(2);
        Path txt = tmp.resolve("spec.txt");
        Files.writeString(txt, "name: x");
        Cli.Result r = cli.tv("builder", "put", "t", txt.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.errLines()).singleElement().asString().contains(".yaml");
    }

    @Test
    void badCsvIsBadArgumentAndChangesNothing() throws Exception {
        assertThat(cli.tv("create-table", "t").exit()).isZero();
        assertThat(cli.tv("create-instance", "t", "--external-edit").exit()).isZero();
        Path csv = tmp.resolve("bad.csv");
        Files.writeString(csv, "id:long,name\n1,a\nx,b\n");
        Cli.Result r = cli.tv("write", "t", "--csv", csv.toString());
        fails(r, ErrorCode.BAD_ARGUMENT);
        assertThat(r.err()).contains("row 2", "'id'", "'x'", "long");
        Files.writeString(csv, "id:integer\n1\n");
        assertThat(cli.tv("write", "t", "--csv", csv.toString()).err()).contains("unknown column type 'integer'");
        Files.writeString(csv, "a,b\n1\n");
        assertThat(cli.tv("write", "t", "--csv", csv.toString()).err()).contains("row 1 has 1 cells");
        fails(cli.tv("write", "t", "--csv", tmp.resolve("missing.csv").toString()), ErrorCode.NOT_FOUND);
        assertThat(cli.tv("instances", "t").ids()).isEmpty();
        assertThat(cli.tv("instances", "t", "--temp").ids()).containsExactly("TEMP_base");
    }

    /**
     * A Latin-1 file is BAD_ARGUMENT naming the line of the first byte that is not UTF-8 and what to do, in our
     * words rather than the decoder's or Jackson's; nothing is written. The byte inside a row and at the start of
     * one reach the reading code by different paths.
     */
    @ParameterizedTest(name = "[{index}] line {1}")
    @CsvSource({"'id:long,name\n1,cafe\n2,caf\u00e9\n3,tea\n', 3", "'id:long,name\n1,cafe\n2,tea\n\u00e9,x\n', 4"})
    void csvThatIsNotUtf8IsBadArgumentNamingTheLineAndChangesNothing(String text, int line) throws Exception {
        assertThat(cli.tv("create-table", "t").exit()).isZero();
        assertThat(cli.tv("create-instance", "t", "--external-edit").exit()).isZero();
        Path csv = tmp.resolve("latin1.csv");
        Files.writeString(csv, text, StandardCharsets.ISO_8859_1);
        Cli.Result r = cli.tv("write", "t", "--csv", csv.toString());
        fails(r, ErrorCode.BAD_ARGUMENT);
        assertThat(r.err()).contains(csv.toString(), "line " + line + " is not UTF-8", "0xE9",
                "save the file as UTF-8").doesNotContain("Input length", "Malformed", "reference chain");
        assertThat(cli.tv("instances", "t").ids()).isEmpty();
        assertThat(cli.tv("instances", "t", "--temp").ids()).containsExactly("TEMP_base");
    }

    @Test
    void badBuilderSpecIsBadBuilder() throws Exception {
        assertThat(cli.tv("create-table", "t").exit()).isZero();
        assertThat(cli.tv("create-instance", "t").exit()).isZero();
        Path yaml = tmp.resolve("x.yaml");
        Files.writeString(yaml, "name: x\ntype: sideways\n");
        fails(cli.tv("builder", "put", "t", yaml.toString()), ErrorCode.BAD_BUILDER);
    }

    @Test
    void builderPutRefusesUnknownCodeAndAMissingTableAtOnce() throws Exception {
        Path yaml = tmp.resolve("summary.yaml");
        Files.writeString(yaml, "name: summary\ntype: column\nbuilder: summarize\nchangedColumns: [summary]\n");
        fails(cli.tv("builder", "put", "nope", yaml.toString()), ErrorCode.NOT_FOUND);
        assertThat(cli.tv("create-table", "t").exit()).isZero();
        assertThat(cli.tv("create-instance", "t").exit()).isZero();
        Cli.Result r = cli.tv("builder", "put", "t", yaml.toString());
        fails(r, ErrorCode.BUILDER_NOT_FOUND);
        assertThat(r.err()).contains("'summarize'", "range", "--unregistered");
        assertThat(cli.tv("builder", "ls", "t").outLines()).isEmpty();
        assertThat(cli.tv("builder", "put", "t", yaml.toString(), "--unregistered").exit()).isZero();
        assertThat(cli.tv("builder", "ls", "t").outLines()).containsExactly("summary");
        Files.writeString(yaml, "name: summary\ntype: column\nbuilder: " + BlockingBuilder.class.getName()
                + "\nchangedColumns: [summary]\n");
        assertThat(cli.tv("builder", "put", "t", yaml.toString()).exit()).isZero();    // a ServiceLoader provider
    }

    /** Found by the CLI fuzz: a spec file that is not UTF-8 exited IO (50) with the decoder's wording. */
    @Test
    void aBuilderSpecThatIsNotUtf8IsBadArgumentNamingTheLine() throws Exception {
        assertThat(cli.tv("create-table", "t").exit()).isZero();
        assertThat(cli.tv("create-instance", "t").exit()).isZero();
        Path yaml = tmp.resolve("latin1.yaml");
        Files.writeString(yaml, "name: t_index\ntype: index\nbuilder: range\n# caf\u00e9\n", StandardCharsets.ISO_8859_1);
        Cli.Result r = cli.tv("builder", "put", "t", yaml.toString());
        fails(r, ErrorCode.BAD_ARGUMENT);
        assertThat(r.err()).contains(yaml.toString(), "line 4 is not UTF-8", "save the file as UTF-8")
                .doesNotContain("Malformed", "Input length");
        assertThat(cli.tv("builder", "ls", "t").outLines()).isEmpty();
    }

    @Test
    void aSecondWriterWritesThroughTheOwner() {
        try (Vault owner = TableVault.open(tmp.resolve("vault"), VaultOptions.defaults())) {
            Cli.Result r = cli.tv("create-table", "t");
            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(owner.tables()).containsExactly("t");
        }
    }

    /** {@code tv restart} on a vault an application owns resumes, through it, what is paused or crashed. */
    @Test
    void restartThroughTheOwnerResumesWhatIsNotRunning() {
        PausedProcesses.pausedCreateTable(tmp.resolve("vault"), "stories", "job-1");
        try (Vault owner = TableVault.open(tmp.resolve("vault"), VaultOptions.defaults())) {
            assertThat(owner.activeProcesses()).containsKey("job-1");
            Cli.Result r = cli.tv("restart");
            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(r.out()).contains("restart done: 0 active process(es) left");
            assertThat(owner.tables()).contains("stories");
            assertThat(owner.activeProcesses()).isEmpty();
        }
    }

    @Test
    void initRefusesAnExistingVault() {
        fails(cli.tv("init"), ErrorCode.ALREADY_EXISTS);
    }

    @Test
    void helpListsEveryExitCode() {
        Cli.Result r = cli.tv("--help");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("Exit codes:", "usage");
        for (ErrorCode c : ErrorCode.values()) {
            assertThat(r.out()).containsPattern("(?m)^\\s+" + c.exitCode() + "\\s+" + c.name() + "$");
        }
    }
}
