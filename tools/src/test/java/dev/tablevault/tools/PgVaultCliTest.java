package dev.tablevault.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
    void hostsRefusesADirectoryVault() {
        Cli.Result r = new Cli(tmp.resolve("v")).tv("hosts");
        assertThat(r.exit()).isEqualTo(dev.tablevault.api.ErrorCode.BAD_ARGUMENT.exitCode());
        assertThat(r.err()).contains("tv hosts", "directory");
    }
}
