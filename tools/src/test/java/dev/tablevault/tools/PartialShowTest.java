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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** {@code tv show --id TEMP_<version>} of a paused execution: the committed rows, marked partial on stderr. */
class PartialShowTest {
    @TempDir
    Path tmp;
    Cli cli;

    /** A service the builder calls, down from row 3 on. */
    static final class ServiceDown extends Exception {
        private static final long serialVersionUID = 1L;

        ServiceDown(long row) {
            super("service down at row " + row);
        }
    }

    @BeforeEach
    void setUp() {
        Path vault = tmp.resolve("vault");
        cli = new Cli(vault);
        RowBuilder text = (ctx, row) -> {
            if (row >= 3) {
                throw new ServiceDown(row);
            }
            return List.of("v" + row);
        };
        try (Vault v = TableVault.open(vault, VaultOptions.defaults().create(true).builder("text", text))) {
            v.createTable("stories", TableOptions.defaults());
            v.createInstance("stories", InstanceOptions.defaults().version("base"));
            v.putBuilder("stories", "base", BuilderSpec.fromYaml("name: stories_index\ntype: index\nbuilder: range\n"
                    + "changedColumns: [id]\ntypes: {id: long}\narguments: {count: 5}\n"), OpOptions.defaults());
            v.putBuilder("stories", "base", BuilderSpec.fromYaml("name: text\ntype: column\nbuilder: text\n"
                    + "changedColumns: [text]\n"), OpOptions.defaults());
            assertThat(catchThrowable(() -> v.executeInstance("stories", ExecuteOptions.defaults()
                    .processId("job-1").checkpointRows(2)))).isInstanceOf(ServiceDown.class);
        }
    }

    @Test
    void showPrintsTheCommittedRowsAndSaysOnStderrThatTheyArePartial() {
        Cli.Result r = cli.tv("show", "stories", "--id", "TEMP_base");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.outLines()).containsExactly("id:long,text:string", "0,v0", "1,v1", "2,v2", "3,", "4,");
        assertThat(r.errLines()).containsExactly(
                "partial: 3 of 5 rows committed by process job-1 (PAUSED), builder 'text'");
    }

    @Test
    void showJsonCarriesThePartialMarkInItsObject() throws Exception {
        Cli.Result r = cli.tv("--json", "show", "stories", "--id", "TEMP_base");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).isEmpty();
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertThat(json.get("rows")).hasSize(5);
        assertThat(json.get("rows").get(2).get(1).asText()).isEqualTo("v2");
        assertThat(json.get("rows").get(3).get(1).isNull()).isTrue();
        JsonNode partial = json.get("partial");
        assertThat(partial.get("processId").asText()).isEqualTo("job-1");
        assertThat(partial.get("state").asText()).isEqualTo("PAUSED");
        assertThat(partial.get("builder").asText()).isEqualTo("text");
        assertThat(partial.get("committedRows").asLong()).isEqualTo(3);
        assertThat(partial.get("rows").asLong()).isEqualTo(5);
    }
}
