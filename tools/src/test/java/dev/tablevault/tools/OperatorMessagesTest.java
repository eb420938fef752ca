package dev.tablevault.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tablevault.api.ErrorCode;
import dev.tablevault.engine.PausedProcesses;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What an operator reads when a run pauses or an error has a remedy: the state, the process id, the cause and
 * the exact {@code tv} commands (never the API's method names), and a distinct exit code.
 */
class OperatorMessagesTest {
    @TempDir
    Path tmp;
    Path vault;
    Cli cli;

    @BeforeEach
    void setUp() {
        vault = tmp.resolve("vault");
        cli = new Cli(vault);
        assertThat(cli.tv("init").exit()).isZero();
    }

    /** Table t, TEMP_base with a 5-row index and a column from a service that fails while {@code down} exists. */
    private Path flakyTable() throws Exception {
        Path down = Files.createFile(tmp.resolve("service-down"));
        assertThat(cli.tv("create-table", "t").exit()).isZero();
        assertThat(cli.tv("create-instance", "t").exit()).isZero();
        put("t_index.yaml", "name: t_index\ntype: index\nbuilder: range\nchangedColumns: [id]\ntypes: {id: long}\n"
                + "arguments: {count: 5}\n");
        put("answer.yaml", "name: answer\ntype: column\nbuilder: external\nchangedColumns: [answer]\n"
                + "arguments: {failWhileFileExists: '" + down + "'}\n");
        return down;
    }

    private void put(String file, String yaml) throws Exception {
        Path spec = Files.writeString(tmp.resolve(file), yaml);
        Cli.Result r = cli.tv("builder", "put", "t", spec.toString());
        assertThat(r.exit()).as(r.err()).isZero();
    }

    @Test
    void aPausedExecuteSaysSoAndHowToResumeOrStopAndExitsThree() throws Exception {
        Path down = flakyTable();
        Cli.Result r = cli.tv("execute", "t", "--process-id", "run-1");
        assertThat(r.exit()).isEqualTo(Errors.PAUSED).isEqualTo(3);
        assertThat(r.out()).isEmpty();
        assertThat(r.errLines()).singleElement().asString()
                .startsWith("tv: PAUSED: process run-1 (executeInstance) paused")
                .contains("simulated external failure at row 0", "resume: tv --vault " + vault + " resume run-1",
                        "stop: tv --vault " + vault + " stop run-1", "--materialize")
                .doesNotContain("resumeProcess", "stopProcess", "ERROR");

        JsonNode json = new ObjectMapper().readTree(cli.tv("--json", "resume", "run-1").err());
        assertThat(json.get("error").asText()).isEqualTo("PAUSED");
        assertThat(json.get("code").asInt()).isEqualTo(3);
        assertThat(json.get("processId").asText()).isEqualTo("run-1");
        assertThat(json.get("resume").asText()).isEqualTo("tv --vault " + vault + " resume run-1");

        Files.delete(down);
        Cli.Result resumed = cli.tv("resume", "run-1");
        assertThat(resumed.exit()).as(resumed.err()).isZero();
        assertThat(resumed.out()).isEqualTo("resumed run-1: COMMITTED\n");
        assertThat(cli.tv("show", "t").outLines()).contains("4,ok-4");
    }

    @Test
    void aRestartThatLeavesProcessesSaysHowToResumeOrStopThem() throws Exception {
        flakyTable();
        assertThat(cli.tv("execute", "t", "--process-id", "run-1").exit()).isEqualTo(Errors.PAUSED);
        Cli.Result r = cli.tv("restart");                   // the service is still down: run-1 pauses again
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("restart done: 1 active process(es) left").contains("failed: ", "run-1",
                "for each: resume: tv --vault " + vault + " resume PID; stop: tv --vault " + vault + " stop PID");
    }

    @Test
    void withoutAProcessIdTheFailureRevertsAndIsNotReportedAsPaused() throws Exception {
        flakyTable();
        Cli.Result r = cli.tv("execute", "t");
        assertThat(r.exit()).isEqualTo(Errors.SOFTWARE);
        assertThat(r.err()).doesNotContain("PAUSED");
        assertThat(cli.tv("ps").out()).isEqualTo("no active processes\n");
    }

    @Test
    void resumingWithAnotherArgumentNamesItAndStaysAnError() throws Exception {
        flakyTable();
        assertThat(cli.tv("execute", "t", "--process-id", "run-1").exit()).isEqualTo(Errors.PAUSED);
        Cli.Result r = cli.tv("execute", "t", "--process-id", "run-1", "--checkpoint-rows", "7");
        assertThat(r.exit()).isEqualTo(ErrorCode.PROCESS_ARGUMENTS_CHANGED.exitCode());
        assertThat(r.err()).contains("checkpointRows was 4096, now 7", "resume: tv --vault " + vault + " resume run-1")
                .doesNotContain("resumeProcess");
    }

    @Test
    void hintsNameTvCommandsNotApiMethods() throws Exception {
        Cli missing = new Cli(tmp.resolve("nothere"));
        Cli.Result none = missing.tv("tables");
        assertThat(none.exit()).isEqualTo(ErrorCode.NOT_FOUND.exitCode());
        assertThat(none.err()).contains("create one with 'tv --vault " + tmp.resolve("nothere") + " init'")
                .doesNotContain("VaultOptions");

        assertThat(cli.tv("create-table", "t").exit()).isZero();
        Path spec = Files.writeString(tmp.resolve("t_index.yaml"), "name: t_index\ntype: index\nbuilder: range\n"
                + "changedColumns: [id]\ntypes: {id: long}\narguments: {count: 5}\n");
        Cli.Result noTemp = cli.tv("builder", "put", "t", spec.toString(), "--version", "v2");
        assertThat(noTemp.exit()).isEqualTo(ErrorCode.NOT_FOUND.exitCode());
        assertThat(noTemp.err()).contains("create it first: tv --vault " + vault + " create-instance t --version v2")
                .doesNotContain("createInstance(", "putBuilder");

        Path csv = Files.writeString(tmp.resolve("rows.csv"), "id:long\n1\n");
        Cli.Result noExternal = cli.tv("write", "t", "--csv", csv.toString());
        assertThat(noExternal.err()).contains("create-instance t --external-edit");

        assertThat(cli.tv("create-instance", "t").exit()).isZero();
        Cli.Result noIndex = cli.tv("execute", "t");
        assertThat(noIndex.exit()).isEqualTo(ErrorCode.BAD_BUILDER.exitCode());
        assertThat(noIndex.err()).contains("builder put t FILE", "'name: t_index'").doesNotContain("putBuilder");

        assertThat(cli.tv("builder", "put", "t", spec.toString()).exit()).isZero();
        Path mine = Files.writeString(tmp.resolve("mine.yaml"), "name: mine\ntype: column\nbuilder: com.example.Mine\n"
                + "changedColumns: [m]\n");
        assertThat(cli.tv("builder", "put", "t", mine.toString(), "--unregistered").exit()).isZero();
        Cli.Result unknownCode = cli.tv("execute", "t");
        assertThat(unknownCode.exit()).isEqualTo(ErrorCode.BUILDER_NOT_FOUND.exitCode());
        assertThat(unknownCode.err()).contains("'com.example.Mine'", "java -cp tv.jar:YOUR.jar")
                .doesNotContain("VaultOptions");
    }

    @Test
    void aLockHeldByAPausedProcessNamesTheCommandsForIt() {
        PausedProcesses.pausedCreateTable(vault, "stories", "job-1");
        Cli.Result r = cli.tv("create-table", "stories");
        assertThat(r.exit()).isEqualTo(ErrorCode.LOCK_HELD_BY_PAUSED.exitCode());
        assertThat(r.err()).contains("resume: tv --vault " + vault + " resume job-1",
                "stop: tv --vault " + vault + " stop job-1").doesNotContain("stopProcess", "resumeProcess");
    }

    @Test
    void aStopMaterializedInstanceIsListedAndShownAsUnsuccessful() throws Exception {
        Path down = flakyTable();
        assertThat(cli.tv("execute", "t", "--process-id", "run-1").exit()).isEqualTo(Errors.PAUSED);
        assertThat(cli.tv("stop", "run-1", "--materialize").exit()).isZero();
        Cli.Result list = cli.tv("instances", "t");
        assertThat(list.outLines().get(0)).matches("ID\\s+VERSION\\s+ROWS\\s+SUCCESS\\s+ACTIVE");
        String stopped = list.ids().get(0);
        assertThat(list.outLines().get(1)).matches(stopped + "\\s+base\\s+5\\s+no\\s+yes");
        JsonNode listed = new ObjectMapper().readTree(cli.tv("--json", "instances", "t").out());
        assertThat(listed.get("details").get(0).get("success").asBoolean()).isFalse();

        Cli.Result show = cli.tv("show", "t", "--id", stopped);
        assertThat(show.exit()).isZero();
        assertThat(show.errLines()).singleElement().asString().startsWith("tv: note: " + stopped
                + " is unsuccessful: process run-1 was stopped with --materialize");
        assertThat(show.outLines()).startsWith("id:long,answer:string", "0,");
        JsonNode shown = new ObjectMapper().readTree(cli.tv("--json", "show", "t", "--id", stopped).out());
        assertThat(shown.get("success").asBoolean()).isFalse();

        Files.delete(down);
        assertThat(cli.tv("create-instance", "t").exit()).isZero();
        put("t_index.yaml", "name: t_index\ntype: index\nbuilder: range\nchangedColumns: [id]\ntypes: {id: long}\n"
                + "arguments: {count: 5}\n");
        put("answer.yaml", "name: answer\ntype: column\nbuilder: external\nchangedColumns: [answer]\n");
        assertThat(cli.tv("execute", "t", "--force").exit()).isZero();
        Cli.Result again = cli.tv("instances", "t");
        assertThat(again.outLines().get(2)).matches(again.ids().get(1) + "\\s+base\\s+5\\s+yes\\s+yes");
        Cli.Result good = cli.tv("show", "t", "--id", again.ids().get(1));
        assertThat(good.err()).isEmpty();
        assertThat(good.outLines()).contains("4,ok-4");
    }

    @Test
    void tvsOwnExitCodesClashWithNoErrorCode() {
        assertThat(Arrays.stream(ErrorCode.values()).map(ErrorCode::exitCode))
                .doesNotHaveDuplicates()
                .doesNotContain(0, Errors.SOFTWARE, 2, Errors.PAUSED, Errors.INTERRUPTED)
                .allMatch(c -> c > 0 && c < 126);
        Cli.Result help = Cli.raw("--help");
        assertThat(help.out()).containsPattern("(?m)^\\s+3\\s+paused").containsPattern("(?m)^\\s+130\\s+interrupted");
    }
}
