package dev.tablevault.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tablevault.api.ErrorCode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code --json}: one object on stdout for results, one on stderr for errors. */
class JsonTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    @TempDir
    Path tmp;
    Cli cli;

    @BeforeEach
    void setUp() {
        cli = new Cli(tmp.resolve("vault"));
    }

    private static JsonNode ok(Cli.Result r) throws Exception {
        assertThat(r.err()).isEmpty();
        assertThat(r.exit()).isZero();
        assertThat(r.outLines()).hasSize(1);
        return MAPPER.readTree(r.out());
    }

    @Test
    void resultsAreOneObject() throws Exception {
        assertThat(ok(cli.tv("--json", "init")).get("created").asBoolean()).isTrue();
        JsonNode created = ok(cli.tv("--json", "create-table", "t"));
        assertThat(created.get("table").asText()).isEqualTo("t");
        String pid = created.get("processId").asText();
        assertThat(pid).isNotBlank();
        assertThat(ok(cli.tv("--json", "tables")).get("tables")).hasSize(1);
        assertThat(ok(cli.tv("--json", "tables")).get("tables").get(0).asText()).isEqualTo("t");

        JsonNode history = ok(cli.tv("--json", "history"));
        JsonNode p = history.get("processes").get(0);
        assertThat(p.get("id").asText()).isEqualTo(pid);
        assertThat(p.get("operation").asText()).isEqualTo("createTable");
        assertThat(p.get("state").asText()).isEqualTo("COMMITTED");
        assertThat(p.get("started").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        assertThat(ok(cli.tv("--json", "ps")).get("processes")).isEmpty();
        assertThat(ok(cli.tv("--json", "locks")).get("locks")).isEmpty();
    }

    @Test
    void showStreamsOneObject() throws Exception {
        ok(cli.tv("--json", "init"));
        ok(cli.tv("--json", "create-table", "t"));
        ok(cli.tv("--json", "create-instance", "t", "--external-edit"));
        Path csv = tmp.resolve("in.csv");
        Files.writeString(csv, "id:long,name,blob:bytes\n1,a,AQI=\n2,,\n");
        JsonNode w = ok(cli.tv("--json", "write", "t", "--csv", csv.toString()));
        assertThat(w.get("rows").asInt()).isEqualTo(2);
        JsonNode show = ok(cli.tv("show", "t", "--json"));
        assertThat(show.get("instanceId").asText()).startsWith("base_");
        assertThat(show.get("columns").get(2).get("type").asText()).isEqualTo("bytes");
        assertThat(show.get("rows").toString()).isEqualTo("[[1,\"a\",\"AQI=\"],[2,null,null]]");
    }

    @Test
    void errorsAreOneObjectOnStderr() throws Exception {
        ok(cli.tv("--json", "init"));
        Cli.Result r = cli.tv("--json", "create-table", "bad name");
        assertThat(r.exit()).isEqualTo(ErrorCode.BAD_ARGUMENT.exitCode());
        assertThat(r.out()).isEmpty();
        assertThat(r.errLines()).hasSize(1);
        JsonNode e = MAPPER.readTree(r.err());
        assertThat(e.get("error").asText()).isEqualTo("BAD_ARGUMENT");
        assertThat(e.get("code").asInt()).isEqualTo(10);
        assertThat(e.get("message").asText()).contains("'bad name'");

        Cli.Result usage = cli.tv("--json", "nope");
        assertThat(usage.exit()).isEqualTo(2);
        assertThat(MAPPER.readTree(usage.err()).get("error").asText()).isEqualTo("USAGE");
    }
}
