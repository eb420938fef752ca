package dev.tablevault.tools;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tablevault.api.ColumnType;
import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.Frame;
import dev.tablevault.api.InstanceOptions;
import dev.tablevault.api.TableOptions;
import dev.tablevault.api.Vault;
import dev.tablevault.api.VaultOptions;
import dev.tablevault.api.WriteOptions;
import dev.tablevault.engine.TableVault;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code tv show} of OBJECT columns: CSV cells by {@code toString} (arrays by content), JSON with maps, lists,
 * arrays and records as JSON; {@code tv write} refuses the type with a message saying why.
 */
class ObjectColumnsTest {
    @TempDir
    Path tmp;
    Cli cli;

    /** An application record stored in an object column. */
    record Tag(String name, int weight) {
    }

    @BeforeEach
    void setUp() {
        cli = new Cli(tmp.resolve("vault"));
        Frame f = Frame.builder().column("id", ColumnType.LONG).column("thing", ColumnType.OBJECT)
                .row(1L, List.of("a", new Tag("x", 2)))
                .row(2L, Map.of("k", List.of(1, 2)))
                .row(3L, null)
                .row(4L, "plain")
                .row(5L, new int[]{1, 2})
                .build();
        try (Vault v = TableVault.open(tmp.resolve("vault"), VaultOptions.defaults().create(true))) {
            v.createTable("t", TableOptions.defaults());
            v.createInstance("t", InstanceOptions.defaults().externalEdit(true));
            v.writeInstance("t", f, WriteOptions.defaults());
        }
    }

    @Test
    void csvPrintsObjectsByToString() {
        Cli.Result r = cli.tv("show", "t");
        assertThat(r.err()).isEmpty();
        assertThat(r.exit()).isZero();
        assertThat(r.outLines()).containsExactly(
                "id:long,thing:object",
                "1,\"[a, Tag[name=x, weight=2]]\"",
                "2,\"{k=[1, 2]}\"",
                "3,",
                "4,plain",
                "5,\"[1, 2]\"");
    }

    @Test
    void jsonPrintsStructuresAsJson() throws Exception {
        Cli.Result r = cli.tv("show", "t", "--json");
        assertThat(r.exit()).isZero();
        var show = new ObjectMapper().readTree(r.out());
        assertThat(show.get("columns").get(1).get("type").asText()).isEqualTo("object");
        assertThat(show.get("rows").toString()).isEqualTo(
                "[[1,[\"a\",{\"name\":\"x\",\"weight\":2}]],[2,{\"k\":[1,2]}],[3,null],[4,\"plain\"],[5,[1,2]]]");
    }

    @Test
    void writeRefusesObjectColumnsSayingWhy() throws Exception {
        Path csv = tmp.resolve("in.csv");
        Files.writeString(csv, "id:long,thing:object\n1,x\n");
        ok(cli.tv("create-instance", "t", "--external-edit", "--version", "v2"));
        Cli.Result r = cli.tv("write", "t", "--csv", csv.toString(), "--version", "v2");
        assertThat(r.exit()).isEqualTo(ErrorCode.BAD_ARGUMENT.exitCode());
        assertThat(r.err()).contains(csv.toString(), "'object'", "Java API");
    }

    private static void ok(Cli.Result r) {
        assertThat(r.err()).as("stderr").isEmpty();
        assertThat(r.exit()).isZero();
    }
}
