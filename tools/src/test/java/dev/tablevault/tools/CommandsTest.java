package dev.tablevault.tools;

import dev.tablevault.api.ColumnType;
import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.Frame;
import dev.tablevault.api.ReadOptions;
import dev.tablevault.api.Vault;
import dev.tablevault.api.VaultOptions;
import dev.tablevault.engine.TableVault;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** The write and inspection commands against a real vault. */
class CommandsTest {
    @TempDir
    Path tmp;
    Cli cli;

    @BeforeEach
    void setUp() {
        cli = new Cli(tmp.resolve("vault"));
    }

    private static void ok(Cli.Result r) {
        assertThat(r.err()).as("stderr").isEmpty();
        assertThat(r.exit()).as("exit code; stdout: %s", r.out()).isZero();
    }

    @Test
    void initCreateTableWriteAndShow() throws Exception {
        Cli.Result init = cli.tv("init");
        ok(init);
        assertThat(init.out()).contains("created vault");
        assertThat(tmp.resolve("vault/db")).isDirectory();

        ok(cli.tv("create-table", "stories", "--description", "tales"));
        Cli.Result tables = cli.tv("tables");
        ok(tables);
        assertThat(tables.outLines()).containsExactly("stories");

        Cli.Result inst = cli.tv("create-instance", "stories", "--external-edit");
        ok(inst);
        assertThat(inst.out()).contains("TEMP_base");
        assertThat(cli.tv("instances", "stories", "--temp").ids()).containsExactly("TEMP_base");
        assertThat(cli.tv("instances", "stories").ids()).isEmpty();

        Path csv = tmp.resolve("in.csv");
        Files.writeString(csv, "id:long,title,score:double,seen:boolean,at:timestamp,took:duration\n"
                + "1,The Lighthouse,4.5,true,2024-05-01T09:30:00Z,PT1.5S\n"
                + "2,\"Night Train, Part 2\",,false,,\n"
                + "3,,-1e3,TRUE,2024-05-02T00:00:00Z,PT0S\n");
        Cli.Result write = cli.tv("write", "stories", "--csv", csv.toString());
        ok(write);
        assertThat(write.out()).contains("wrote 3 rows x 6 columns");

        Cli.Result show = cli.tv("show", "stories");
        ok(show);
        assertThat(show.outLines()).containsExactly(
                "id:long,title:string,score:double,seen:boolean,at:timestamp,took:duration",
                "1,The Lighthouse,4.5,true,2024-05-01T09:30:00Z,PT1.5S",
                "2,\"Night Train, Part 2\",,false,,",
                "3,,-1000.0,true,2024-05-02T00:00:00Z,PT0S");
        assertThat(cli.tv("show", "stories", "--limit", "1").outLines()).hasSize(2);
        assertThat(cli.tv("instances", "stories").ids()).singleElement().asString().startsWith("base_");

        try (Vault v = TableVault.open(tmp.resolve("vault"), VaultOptions.defaults().readOnly(true))) {
            Frame f = v.dataframe("stories", ReadOptions.latest());
            assertThat(f.columnNames()).containsExactly("id", "title", "score", "seen", "at", "took");
            assertThat(f.row(0)).containsExactly(1L, "The Lighthouse", 4.5, true, Instant.parse("2024-05-01T09:30:00Z"),
                    Duration.ofMillis(1500));
            assertThat(f.row(1)).containsExactly(2L, "Night Train, Part 2", null, false, null, null);
            assertThat(f.column("title").get(2)).isNull();
        }
    }

    @Test
    void showOutputWritesBackUnchanged() throws Exception {
        ok(cli.tv("demo"));
        Path csv = tmp.resolve("out.csv");
        Files.writeString(csv, cli.tv("show", "stories").out());
        ok(cli.tv("create-table", "copy"));
        ok(cli.tv("create-instance", "copy", "--external-edit", "--version", "v2"));
        ok(cli.tv("write", "copy", "--csv", csv.toString(), "--version", "v2"));
        assertThat(cli.tv("show", "copy", "--version", "v2").out()).isEqualTo(Files.readString(csv));
    }

    /** Spreadsheet programs start UTF-8 files with a byte order mark; it is not part of the first column's name. */
    @Test
    void aByteOrderMarkIsNotPartOfTheFirstColumnName() throws Exception {
        ok(cli.tv("init"));
        ok(cli.tv("create-table", "t"));
        ok(cli.tv("create-instance", "t", "--external-edit"));
        Path csv = tmp.resolve("excel.csv");
        Files.writeString(csv, "\uFEFFid:long,name\n1,caf\u00e9\n");
        ok(cli.tv("write", "t", "--csv", csv.toString()));
        assertThat(cli.tv("show", "t").outLines()).containsExactly("id:long,name:string", "1,caf\u00e9");
    }

    @Test
    void oneColumnNullsSurviveTheRoundTrip() throws Exception {
        ok(cli.tv("init"));
        ok(cli.tv("create-table", "t"));
        ok(cli.tv("create-instance", "t", "--external-edit"));
        Path csv = tmp.resolve("one.csv");
        Files.writeString(csv, "n:long\n1\n\"\"\n3\n");
        ok(cli.tv("write", "t", "--csv", csv.toString()));
        assertThat(cli.tv("show", "t").outLines()).containsExactly("n:long", "1", "\"\"", "3");
    }

    @Test
    void renameDeleteAndInstances() {
        ok(cli.tv("init"));
        ok(cli.tv("create-table", "a", "--side-effects", "--multiple-artifacts"));
        ok(cli.tv("rename-table", "a", "b"));
        assertThat(cli.tv("tables").outLines()).containsExactly("b");
        ok(cli.tv("create-instance", "b", "--version", "v1"));
        ok(cli.tv("delete-instance", "b", "TEMP_v1"));
        assertThat(cli.tv("instances", "b", "--temp").ids()).isEmpty();
        ok(cli.tv("delete-table", "b"));
        assertThat(cli.tv("tables").outLines()).isEmpty();
        Cli.Result history = cli.tv("history", "--limit", "2");
        ok(history);
        assertThat(history.outLines()).hasSize(3);
        assertThat(history.outLines().get(1)).contains("deleteTable", "COMMITTED");
        assertThat(history.outLines().get(2)).contains("deleteInstance", "COMMITTED");
    }

    @Test
    void builderPutLsShowRm() throws Exception {
        ok(cli.tv("init"));
        ok(cli.tv("create-table", "stories"));
        ok(cli.tv("create-instance", "stories"));
        Path yaml = tmp.resolve("title.yaml");
        String spec = "name: title\ntype: column\nbuilder: template\nchangedColumns: [title]\n";
        Files.writeString(yaml, spec);
        ok(cli.tv("builder", "put", "stories", yaml.toString()));
        Path json = tmp.resolve("index.json");
        Files.writeString(json, "{\"name\":\"stories_index\",\"type\":\"index\",\"builder\":\"range\","
                + "\"changedColumns\":[\"id\"]}");
        ok(cli.tv("builder", "put", "stories", json.toString(), "--process-id", "put-index-1"));
        assertThat(cli.tv("builder", "ls", "stories").outLines()).containsExactly("stories_index", "title");
        assertThat(cli.tv("builder", "show", "stories", "title").out()).isEqualTo(spec);
        ok(cli.tv("builder", "rm", "stories", "title"));
        assertThat(cli.tv("builder", "ls", "stories").outLines()).containsExactly("stories_index");
        assertThat(cli.tv("history", "--limit", "1").out()).doesNotContain("put-index-1");
        assertThat(cli.tv("history", "--limit", "2").out()).contains("put-index-1");
    }

    @Test
    void inheritedOptionsMayFollowTheCommand() {
        ok(cli.tv("init"));
        Cli.Result r = Cli.raw("create-table", "t", "--author", "ada", "--vault", tmp.resolve("vault").toString());
        ok(r);
        assertThat(Cli.raw("history", "--vault", tmp.resolve("vault").toString()).out()).contains("createTable", "ada");
    }

    @Test
    void generateProcessIdIsFreshAndUsable() {
        ok(cli.tv("init"));
        String a = cli.tv("generate-process-id").out().strip();
        String b = cli.tv("generate-process-id").out().strip();
        assertThat(a).isNotBlank().isNotEqualTo(b);
        Cli.Result r = cli.tv("create-table", "t", "--process-id", a);
        ok(r);
        assertThat(r.out()).contains(a);
    }

    @Test
    void inspectionWorksWhileAnotherOpenOwnsTheVault() {
        ok(cli.tv("init"));
        ok(cli.tv("create-table", "t"));
        try (Vault owner = TableVault.open(tmp.resolve("vault"), VaultOptions.defaults())) {
            Cli.Result tables = cli.tv("tables");
            ok(tables);
            assertThat(tables.outLines()).containsExactly("t");
            ok(cli.tv("ps"));
            ok(cli.tv("locks"));
            ok(cli.tv("history"));
            assertThat(owner.tables()).containsExactly("t");
        }
    }

    @Test
    void emptyListsSayso() {
        ok(cli.tv("init"));
        assertThat(cli.tv("ps").out()).isEqualTo("no active processes\n");
        assertThat(cli.tv("locks").out()).isEqualTo("no locks held\n");
        assertThat(cli.tv("history").out()).isEqualTo("no finished processes\n");
        assertThat(cli.tv("tables").out()).isEmpty();
    }

    @Test
    void executeWithAFailingExternalCallPausesThenResumesAndLogShowsIt() throws Exception {
        ok(cli.tv("init"));
        ok(cli.tv("create-table", "stories"));
        ok(cli.tv("create-instance", "stories"));
        Path index = tmp.resolve("index.yaml");
        Files.writeString(index, "name: stories_index\ntype: index\nbuilder: range\nchangedColumns: [id]\n"
                + "types: {id: long}\narguments: {count: 50}\n");
        Path flag = tmp.resolve("service-down");
        Files.writeString(flag, "");
        Path call = tmp.resolve("call.yaml");
        Files.writeString(call, "name: answer\ntype: column\nbuilder: external\nchangedColumns: [answer]\n"
                + "arguments: {failWhileFileExists: '" + flag.toString().replace("'", "''") + "'}\n");
        ok(cli.tv("builder", "put", "stories", index.toString()));
        ok(cli.tv("builder", "put", "stories", call.toString()));

        Cli.Result failed = cli.tv("execute", "stories", "--process-id", "exec-1", "--checkpoint-rows", "10");
        assertThat(failed.exit()).isNotZero();
        assertThat(failed.err()).contains("service-down exists");
        assertThat(cli.tv("ps").out()).contains("exec-1", "PAUSED");

        Files.delete(flag);
        Cli.Result resumed = cli.tv("execute", "stories", "--process-id", "exec-1", "--checkpoint-rows", "10");
        ok(resumed);
        assertThat(resumed.out()).contains("50 rows x 2 columns");
        assertThat(cli.tv("show", "stories", "--limit", "2").outLines())
                .containsExactly("id:long,answer:string", "0,ok-0", "1,ok-1");

        Cli.Result log = cli.tv("log", "exec-1");
        ok(log);
        assertThat(log.outLines().get(0)).contains("BEGIN", "executeInstance");
        assertThat(log.out()).contains("CHECKPOINT", "END", "COMMITTED");

        // Re-executing with the same specs carries the answers over: the service is down again, unused.
        Files.writeString(flag, "");
        ok(cli.tv("create-instance", "stories"));
        ok(cli.tv("builder", "put", "stories", index.toString()));
        ok(cli.tv("builder", "put", "stories", call.toString()));
        Cli.Result carried = cli.tv("execute", "stories", "--progress");
        assertThat(carried.exit()).isZero();
        assertThat(carried.err()).contains("1/2 stories_index", "2/2 answer", "50/50");
        ok(cli.tv("create-instance", "stories"));
        ok(cli.tv("builder", "put", "stories", index.toString()));
        ok(cli.tv("builder", "put", "stories", call.toString()));
        Cli.Result forced = cli.tv("execute", "stories", "--force");
        assertThat(forced.exit()).isNotZero();
        assertThat(forced.err()).contains("service-down exists");
    }

    @Test
    void verifyAndStats() throws Exception {
        ok(cli.tv("init"));
        ok(cli.tv("create-table", "stories"));
        ok(cli.tv("create-instance", "stories", "--external-edit"));
        Cli.Result verify = cli.tv("verify");
        ok(verify);
        assertThat(verify.outLines()).containsExactly("ok: no errors");

        Files.createDirectories(tmp.resolve("vault/artifacts/77"));
        Cli.Result warned = cli.tv("--json", "verify");
        ok(warned);
        assertThat(warned.out()).contains("\"ok\":true", "\"errors\":[]", "artifacts/77", "belongs to no instance");

        Cli.Result stats = cli.tv("--json", "stats");
        ok(stats);
        assertThat(stats.out()).contains("\"durability\":\"SYNC\"", "\"tables\":1", "\"instances\":0",
                "\"temporaryInstances\":1", "\"activeProcesses\":0", "\"finishedProcesses\":2");
        assertThat(cli.tv("stats").outLines()).contains("tables: 1", "durability: SYNC");
    }

    @Test
    void recoverRefusesNothingOnAHealthyVaultAndReportsALossOtherwise() throws Exception {
        ok(cli.tv("init"));
        for (int i = 0; i < 30; i++) {
            ok(cli.tv("create-table", "t" + i));
        }
        Cli.Result healthy = cli.tv("recover");
        ok(healthy);
        assertThat(healthy.out()).contains("nothing to recover");

        Path log;
        try (var s = Files.list(tmp.resolve("vault/db"))) {
            // The largest log holds the tables (each open starts a new, empty one).
            log = s.filter(f -> f.toString().endsWith(".log")).max(java.util.Comparator.comparingLong(
                    f -> f.toFile().length())).orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(log);
        for (int i = bytes.length / 3; i < bytes.length / 3 + 8; i++) {
            bytes[i] ^= 0x5a;
        }
        Files.write(log, bytes);

        Cli.Result refused = cli.tv("tables");
        assertThat(refused.exit()).isEqualTo(51);
        assertThat(refused.err()).contains("lost durable writes", "recover");
        Cli.Result recovered = cli.tv("--json", "recover");
        ok(recovered);
        assertThat(recovered.out()).contains("\"lost\":true", "\"report\":\"recovery/");
        ok(cli.tv("verify"));
        assertThat(cli.tv("tables").outLines()).hasSizeBetween(1, 29);
    }

    @Test
    void verifyNamesAChangedArtifactFileAndExitsWithCorruption() throws Exception {
        ok(cli.tv("init"));
        ok(cli.tv("create-table", "scans"));
        ok(cli.tv("create-instance", "scans", "--external-edit"));
        Path staging = Files.createDirectories(tmp.resolve("vault/artifacts/temp/scans/TEMP_base"));
        Files.writeString(staging.resolve("0.txt"), "scan 0");
        Path csv = tmp.resolve("scans.csv");
        Files.writeString(csv, "scan:artifact\n0.txt\n");
        ok(cli.tv("write", "scans", "--csv", csv.toString()));
        ok(cli.tv("verify"));

        Path file;
        try (var files = Files.walk(tmp.resolve("vault/artifacts"))) {
            file = files.filter(f -> f.getFileName().toString().equals("0.txt")).findFirst().orElseThrow();
        }
        Files.writeString(file, "scan 1");
        Cli.Result r = cli.tv("verify");
        assertThat(r.exit()).isEqualTo(ErrorCode.CORRUPTION.exitCode());
        assertThat(r.outLines()).singleElement().asString().startsWith("error: table 'scans' instance base_")
                .contains("artifact file 0.txt", "changed since it was published");
        assertThat(r.err()).startsWith("tv: CORRUPTION: ");
    }

    @Test
    void versionAndShellCompletion() {
        Cli.Result version = Cli.raw("--version");
        assertThat(version.exit()).isZero();
        assertThat(version.out()).matches("tv \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\n");
        Cli.Result completion = Cli.raw("generate-completion");
        assertThat(completion.exit()).as(completion.err()).isZero();
        assertThat(completion.out()).contains("complete -F", "execute", "resume", "--process-id", "--checkpoint-rows");
    }
}
