package dev.tablevault.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tablevault.engine.CrashedProcesses;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** ps and verify on an execution whose JVM was killed ({@code kill -9}) in the middle; the stop they name works. */
class CrashedProcessTest {
    @TempDir
    Path tmp;
    Path vault;
    Cli cli;
    long runner;

    @BeforeEach
    void setUp() throws Exception {
        vault = tmp.resolve("vault");
        cli = new Cli(vault);
        runner = CrashedProcesses.crashedExecution(vault, 2000, 500, 1200);
    }

    @Test
    void psShowsItCrashedWithTheCommandsThatResumeOrStopIt() throws Exception {
        Cli.Result ps = cli.tv("ps");
        assertThat(ps.exit()).as(ps.err()).isZero();
        assertThat(ps.outLines()).hasSize(3);
        assertThat(ps.outLines().get(1)).contains(CrashedProcesses.ID, "executeInstance", "CRASHED");
        assertThat(ps.outLines().get(2)).isEqualTo(CrashedProcesses.ID + " crashed (its runner, OS process " + runner
                + ", is gone): resume it with tv --vault " + vault + " resume " + CrashedProcesses.ID
                + ", or stop it with tv --vault " + vault + " stop " + CrashedProcesses.ID + " [--materialize]");

        JsonNode p = new ObjectMapper().readTree(cli.tv("--json", "ps").out()).get("processes").get(0);
        assertThat(p.get("state").asText()).isEqualTo("RUNNING");
        assertThat(p.get("status").asText()).isEqualTo("CRASHED");
        assertThat(p.get("runnerPid").asLong()).isEqualTo(runner);
        assertThat(p.get("runnerStart").asText()).isNotEmpty();

        Cli.Result verify = cli.tv("verify");
        assertThat(verify.exit()).as(verify.err()).isZero();
        assertThat(verify.out()).contains("warning: process " + CrashedProcesses.ID + " (executeInstance) crashed",
                "tv resume " + CrashedProcesses.ID, "tv stop " + CrashedProcesses.ID + " [--materialize]");

        Cli.Result stop = cli.tv("stop", CrashedProcesses.ID);
        assertThat(stop.exit()).as(stop.err()).isZero();
        assertThat(cli.tv("ps").out()).isEqualTo("no active processes\n");
        assertThat(cli.tv("verify").out()).doesNotContain("warning");
    }
}
