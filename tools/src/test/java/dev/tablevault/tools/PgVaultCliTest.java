package dev.tablevault.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tablevault.engine.PausedProcesses;
import dev.tablevault.engine.store.pg.PgCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code tv --vault postgresql://...}: a vault shared by hosts, driven from the command line. */
class PgVaultCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private String url;

    private Cli.Result tv(String... args) {
        List<String> all = new ArrayList<>(List.of("--vault", url));
        all.addAll(List.of(args));
        return Cli.raw(all.toArray(String[]::new));
    }

    private static Cli.Result ok(Cli.Result r) {
        assertThat(r.err()).as("stderr").isEmpty();
        assertThat(r.exit()).as("exit code; stdout: %s", r.out()).isZero();
        return r;
    }

    @Test
    void createWriteShowStatsAndHostsOnAPostgresVault() throws Exception {
        String jdbc = PgCluster.shared().database("cli");
        // postgresql://user@host:port/db, as an operator writes it
        url = jdbc.replace("jdbc:postgresql://", "postgresql://postgres@").replace("?user=postgres", "");

        Cli.Result missing = tv("tables");
        assertThat(missing.exit()).isEqualTo(dev.tablevault.api.ErrorCode.NOT_FOUND.exitCode());
        assertThat(missing.err()).contains("init");

        assertThat(ok(tv("init")).out()).contains("created vault " + url);
        ok(tv("create-table", "stories"));
        ok(tv("create-instance", "stories", "--external-edit"));
        Path csv = tmp.resolve("in.csv");
        Files.writeString(csv, "id:long,title\n1,The Lighthouse\n2,Night Train\n");
        assertThat(ok(tv("write", "stories", "--csv", csv.toString())).out()).contains("wrote 2 rows x 2 columns");
        assertThat(ok(tv("show", "stories")).outLines()).containsExactly("id:long,title:string",
                "1,The Lighthouse", "2,Night Train");
        assertThat(ok(tv("tables")).outLines()).containsExactly("stories");
        assertThat(ok(tv("ps")).out()).contains("no active processes");

        Cli.Result stats = ok(tv("stats"));
        assertThat(stats.outLines()).contains("backend: postgresql", "durability: SYNC");
        assertThat(stats.out()).contains("location: postgresql://postgres@127.0.0.1:" + PgCluster.shared().port());
        assertThat(JSON.readTree(ok(tv("stats", "--json")).out()).get("backend").asText()).isEqualTo("postgresql");

        Cli.Result hosts = ok(tv("hosts"));
        assertThat(hosts.outLines().get(0)).startsWith("HOST").contains("OS PID", "EPOCH", "STATE", "LEASE UNTIL",
                "SECONDS LEFT");
        assertThat(hosts.outLines()).hasSize(2); // every tv command here ran as the same host (this JVM)
        assertThat(hosts.outLines().get(1)).contains(":" + ProcessHandle.current().pid(), "DEAD");
        JsonNode host = JSON.readTree(ok(tv("hosts", "--json")).out()).get("hosts");
        assertThat(host.size()).isEqualTo(1);
        assertThat(host.get(0).get("state").asText()).isEqualTo("DEAD");
        assertThat(host.get(0).get("osPid").asLong()).isEqualTo(ProcessHandle.current().pid());
        assertThat(host.get(0).fieldNames()).toIterable().contains("hostId", "epoch", "leaseUntil", "secondsLeft");

        Cli.Result recover = tv("recover");
        assertThat(recover.exit()).isEqualTo(dev.tablevault.api.ErrorCode.BAD_ARGUMENT.exitCode());
        assertThat(recover.err()).contains("PostgreSQL recovers itself");
    }

    @Test
    void psShowsTheHostFenceAndRunStateOfEachProcessOnAPostgresVault() throws Exception {
        String jdbc = PgCluster.shared().database("cli_ps");
        url = jdbc.replace("jdbc:postgresql://", "postgresql://postgres@").replace("?user=postgres", "");
        ok(tv("init"));
        PausedProcesses.pausedCreateTable(url, "stories", "job-1");

        List<String> ps = ok(tv("ps")).outLines();
        assertThat(ps.get(0)).startsWith("ID").contains("STATE", "HOST", "FENCE", "RUN", "AUTHOR");
        assertThat(cell(ps, 1, "STATE")).isEqualTo("PAUSED");
        assertThat(cell(ps, 1, "HOST")).as("no host runs it").isEmpty();
        assertThat(cell(ps, 1, "FENCE")).isEqualTo("1");
        assertThat(cell(ps, 1, "RUN")).as("the record's state, so not repeated").isEmpty();
        JsonNode paused = JSON.readTree(ok(tv("ps", "--json")).out()).get("processes").get(0);
        assertThat(paused.get("host").isNull()).isTrue();
        assertThat(paused.get("fence").asLong()).isEqualTo(1);
        assertThat(paused.get("runState").asText()).isEqualTo("PAUSED");

        JsonNode[] claimed = new JsonNode[1];
        List<String> whileClaimed = new ArrayList<>();
        PausedProcesses.claimRun(url, "job-1", () -> { // as a resume on another host does, before it runs
            whileClaimed.addAll(ok(tv("ps")).outLines());
            claimed[0] = readJson(ok(tv("ps", "--json")).out()).get("processes").get(0);
        });
        assertThat(claimed[0].get("fence").asLong()).as("each claim raises the fence").isEqualTo(2);
        assertThat(claimed[0].get("runState").asText()).isEqualTo("RUNNING");
        String host = claimed[0].get("host").asText();
        assertThat(host).isNotEmpty();
        assertThat(cell(whileClaimed, 1, "HOST")).isEqualTo(host);
        assertThat(cell(whileClaimed, 1, "FENCE")).isEqualTo("2");
        assertThat(cell(whileClaimed, 1, "RUN")).as("differs from the record's PAUSED").isEqualTo("RUNNING");

        List<String> orphaned = ok(tv("ps")).outLines(); // its host closed: the run is handed over, fenced again
        assertThat(cell(orphaned, 1, "HOST")).isEmpty();
        assertThat(cell(orphaned, 1, "FENCE")).isEqualTo("3");
        assertThat(cell(orphaned, 1, "RUN")).isEqualTo("ORPHANED");
        assertThat(readJson(ok(tv("ps", "--json")).out()).get("processes").get(0).get("runState").asText())
                .isEqualTo("ORPHANED");
    }

    private static JsonNode readJson(String text) {
        try {
            return JSON.readTree(text);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The text of {@code column} in row {@code row} of a table whose first line is its header. */
    private static String cell(List<String> table, int row, String column) {
        String header = table.get(0);
        int from = (" " + header + " ").indexOf(" " + column + " ");
        int to = header.indexOf(' ', from + column.length());
        while (to >= 0 && to < header.length() && header.charAt(to) == ' ') {
            to++;
        }
        String line = table.get(row);
        return line.substring(from, Math.min(line.length(), to < 0 || to >= header.length() ? line.length() : to))
                .trim();
    }

    @Test
    void hostsRefusesADirectoryVault() {
        Cli.Result r = new Cli(tmp.resolve("v")).tv("hosts");
        assertThat(r.exit()).isEqualTo(dev.tablevault.api.ErrorCode.BAD_ARGUMENT.exitCode());
        assertThat(r.err()).contains("tv hosts", "directory");
    }
}
