package dev.tablevault.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code tv demo}: the README's main job. */
class DemoTest {
    @TempDir
    Path tmp;

    @Test
    void demoCreatesTheVaultAndWalksThrough() {
        Cli cli = new Cli(tmp.resolve("new-dir"));
        Cli.Result r = cli.tv("demo");
        assertThat(r.err()).isEmpty();
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("[1] created a new vault", "[2] created table 'stories'",
                "identical to what was written", "active processes: none", "writeInstance",
                "[8] executed table 'blurbs'", "is PAUSED, holding its locks", "[9] the service is back",
                "2,ok-1,\"Night Train, Part 2 rated 3.75\"", "only [blurb] recomputed", "done.");
        assertThat(cli.tv("tables").outLines()).containsExactly("blurbs", "stories");
        assertThat(cli.tv("ps").out()).doesNotContain("PAUSED");
        assertThat(cli.tv("show", "stories").outLines()).hasSize(4)
                .contains("2,\"Night Train, Part 2\",3.75,false,2024-05-02T18:05:00Z");
    }

    @Test
    void demoRunsAgainOnItsOwnVault() throws Exception {
        Cli cli = new Cli(tmp);                              // an empty existing directory
        assertThat(cli.tv("demo").exit()).isZero();
        Cli.Result again = cli.tv("--json", "demo");
        assertThat(again.exit()).isZero();
        JsonNode o = new ObjectMapper().readTree(again.out());
        assertThat(o.get("table").asText()).isEqualTo("stories-2");
        assertThat(o.get("steps").get(0).get("created").asBoolean()).isFalse();
        assertThat(o.get("steps").get(4).get("identical").asBoolean()).isTrue();
        assertThat(o.get("steps").get(9).get("changedColumns").get(0).asText()).isEqualTo("blurb");
        assertThat(cli.tv("tables").outLines()).containsExactly("blurbs", "blurbs-2", "stories", "stories-2");
    }
}
