package dev.tablevault.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tablevault.api.BuilderSpec;
import dev.tablevault.api.ExecuteOptions;
import dev.tablevault.api.InstanceOptions;
import dev.tablevault.api.OpOptions;
import dev.tablevault.api.RowBuilder;
import dev.tablevault.api.TableOptions;
import dev.tablevault.api.Vault;
import dev.tablevault.api.VaultOptions;
import dev.tablevault.engine.TableVault;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code tv top} and {@code tv ps} read a running execution's progress from the live board. */
class TopCommandTest {
    @TempDir
    Path tmp;

    @Test
    void topOnceJsonAndPsShowTheRunningExecutionFromTheBoard() throws Exception {
        Path dir = tmp.resolve("v");
        CountDownLatch release = new CountDownLatch(1);
        RowBuilder blocking = (ctx, row) -> {
            if (row == 300) {
                release.await();
            }
            return List.of("v" + row);
        };
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (Vault v = TableVault.open(dir, VaultOptions.defaults().create(true).builder("slow", blocking))) {
            v.createTable("stories", TableOptions.defaults());
            v.createInstance("stories", InstanceOptions.defaults().version("base"));
            v.putBuilder("stories", "base", BuilderSpec.fromYaml("name: stories_index\ntype: index\nbuilder: range\n"
                    + "changedColumns: [id]\ntypes: {id: long}\narguments: {count: 1000}\n"), OpOptions.defaults());
            v.putBuilder("stories", "base", BuilderSpec.fromYaml("name: text\ntype: column\nbuilder: slow\n"
                    + "changedColumns: [text]\n"), OpOptions.defaults());
            Future<String> run = pool.submit(() -> v.executeInstance("stories", ExecuteOptions.defaults()
                    .processId("exec-top").version("base").checkpointRows(100)));
            try {
                checkWhileRunning(new Cli(dir));
            } finally {
                release.countDown(); // before the vault closes: close waits for the execution the builder holds up
            }
            run.get(2, TimeUnit.MINUTES);
        } finally {
            release.countDown();
            pool.shutdown();
            assertThat(pool.awaitTermination(2, TimeUnit.MINUTES)).isTrue();
        }
        Cli.Result after = new Cli(dir).tv("--json", "top", "--once");
        JsonNode json = new ObjectMapper().readTree(after.out());
        assertThat(json.get("board").asBoolean()).as("a closed vault leaves no board").isFalse();
        assertThat(json.get("processes")).isEmpty();

        Files.walk(dir.resolve("board")).sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        Cli.Result noBoard = new Cli(dir).tv("ps");
        assertThat(noBoard.exit()).isZero();
        assertThat(noBoard.err()).as("no board at all: the store answers, without a note").isEmpty();
        assertThat(noBoard.out()).contains("no active processes");
    }

    /** What tv top and tv ps show while the execution is held up at row 300. */
    private static void checkWhileRunning(Cli cli) throws Exception {
        JsonNode p = awaitRows(cli);
        assertThat(p.get("id").asText()).isEqualTo("exec-top");
        assertThat(p.get("operation").asText()).isEqualTo("executeInstance");
        assertThat(p.get("state").asText()).isEqualTo("RUNNING");
        assertThat(p.get("table").asText()).isEqualTo("stories");
        assertThat(p.get("step").asText()).isEqualTo("text");
        assertThat(p.get("rowsDone").asLong()).isEqualTo(300);
        assertThat(p.get("rowsTotal").asLong()).isEqualTo(1000);
        assertThat(p.get("heartbeatAgeMillis").asLong()).isNotNegative();

        Cli.Result top = cli.tv("top", "--once");
        assertThat(top.exit()).isZero();
        assertThat(top.outLines().get(0)).contains("ROWS", "PROGRESS", "ROWS/S", "ETA", "HEARTBEAT");
        assertThat(top.outLines().get(1)).contains("exec-top", "RUNNING", "300/1000", "30.0%");

        Cli.Result ps = cli.tv("ps");
        assertThat(ps.err()).as("answered from the board, not the store").isEmpty();
        assertThat(ps.outLines().get(0)).contains("ROWS");
        assertThat(ps.outLines().get(1)).contains("exec-top", "executeInstance", "RUNNING", "300/1000");
        JsonNode psJson = new ObjectMapper().readTree(cli.tv("--json", "ps").out());
        assertThat(psJson.get("source").asText()).isEqualTo("board");
        assertThat(psJson.get("processes").get(0).get("rowsTotal").asLong()).isEqualTo(1000);
    }

    /** Runs {@code tv --json top --once} until the one process has committed row 300 (60 s safety net). */
    private static JsonNode awaitRows(Cli cli) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            Cli.Result r = cli.tv("--json", "top", "--once");
            assertThat(r.exit()).as(r.err()).isZero();
            JsonNode json = new ObjectMapper().readTree(r.out());
            JsonNode ps = json.get("processes");
            if (json.get("board").asBoolean() && ps.size() == 1 && ps.get(0).get("rowsDone").asLong() == 300) {
                return ps.get(0);
            }
            assertThat(System.nanoTime()).as("board never showed row 300: %s", r.out()).isLessThan(deadline);
            LockSupport.parkNanos(20_000_000);
        }
    }
}
