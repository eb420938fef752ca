package dev.tablevault.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tablevault.api.ErrorCode;
import dev.tablevault.engine.PausedProcesses;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** ps, locks, resume, stop and restart against a process paused by an external error. */
class ProcessesTest {
    @TempDir
    Path tmp;
    Path vault;
    Cli cli;

    @BeforeEach
    void setUp() {
        vault = tmp.resolve("vault");
        cli = new Cli(vault);
        assertThat(cli.tv("init").exit()).isZero();
        PausedProcesses.pausedCreateTable(vault, "stories", "job-1");
    }

    @Test
    void psAndLocksShowThePausedProcess() throws Exception {
        Cli.Result ps = cli.tv("ps");
        assertThat(ps.exit()).isZero();
        assertThat(ps.outLines()).hasSize(3);
        assertThat(ps.outLines().get(1)).contains("job-1", "createTable", "PAUSED", "injected failure");
        assertThat(ps.outLines().get(2)).isEqualTo("job-1 is paused: resume it with tv --vault " + vault
                + " resume job-1, or stop it with tv --vault " + vault + " stop job-1 [--materialize]");

        Cli.Result locks = cli.tv("locks");
        assertThat(locks.exit()).isZero();
        assertThat(locks.out()).contains("job-1", "PAUSED", "EXCLUSIVE");
        assertThat(locks.outLines().get(0)).endsWith("OS PID");
        assertThat(locks.outLines().get(1)).endsWith("PAUSED  " + ProcessHandle.current().pid()); // it ran here

        JsonNode json = new ObjectMapper().readTree(cli.tv("--json", "ps").out());
        assertThat(json.get("processes").get(0).get("state").asText()).isEqualTo("PAUSED");
    }

    @Test
    void anotherWriteIsRefusedWithTheHolderNamed() throws Exception {
        Cli.Result r = cli.tv("create-table", "stories");
        assertThat(r.exit()).isEqualTo(ErrorCode.LOCK_HELD_BY_PAUSED.exitCode());
        assertThat(r.errLines()).singleElement().asString().startsWith("tv: LOCK_HELD_BY_PAUSED: ").contains("job-1");
        JsonNode e = new ObjectMapper().readTree(cli.tv("--json", "create-table", "stories").err());
        assertThat(e.get("holder").asText()).isEqualTo("job-1");
        assertThat(e.get("holderState").asText()).isEqualTo("PAUSED");
        assertThat(e.get("holderPid").asLong()).isEqualTo(ProcessHandle.current().pid()); // the JVM that ran it
    }

    @Test
    void resumeFinishesIt() {
        Cli.Result r = cli.tv("resume", "job-1");
        assertThat(r.err()).isEmpty();
        assertThat(r.exit()).isZero();
        assertThat(r.out()).isEqualTo("resumed job-1: COMMITTED\n");
        assertThat(cli.tv("tables").outLines()).containsExactly("stories");
        assertThat(cli.tv("ps").out()).isEqualTo("no active processes\n");
        assertThat(cli.tv("locks").out()).isEqualTo("no locks held\n");
    }

    @Test
    void stopRevertsIt() {
        Cli.Result r = cli.tv("stop", "job-1", "--process-id", "stopper-1");
        assertThat(r.err()).isEmpty();
        assertThat(r.exit()).isZero();
        assertThat(r.out()).startsWith("stopped job-1: STOPPED (process stopper-1)");
        assertThat(cli.tv("tables").outLines()).isEmpty();
        assertThat(cli.tv("ps").out()).isEqualTo("no active processes\n");
        Cli.Result again = cli.tv("resume", "job-1");
        assertThat(again.exit()).isEqualTo(ErrorCode.PROCESS_STATE.exitCode());
    }

    @Test
    void restartResumesEveryActiveProcess() {
        Cli.Result r = cli.tv("restart");
        assertThat(r.err()).isEmpty();
        assertThat(r.exit()).isZero();
        assertThat(r.out()).startsWith("restart done: 0 active process(es) left");
        assertThat(cli.tv("tables").outLines()).containsExactly("stories");
    }
}
