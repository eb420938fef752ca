package dev.tablevault.tools;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The result of every command that writes under a process id, as text and as JSON, word for word. */
class WriteResultsTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void textResultsNameTheProcess() throws IOException {
        List<String> out = runWrites(false);
        assertThat(out).containsExactly(
                "created table t (process p1)",
                "renamed table t to u (process p2)",
                "created instance TEMP_base of u (process p3)",
                "wrote 2 rows x 1 columns into u version base (process p4)",
                "created instance TEMP_v2 of u (process p5)",
                "stored builder spec " + file("index.yaml") + " on TEMP_v2 of u (process p6)",
                "stored builder spec " + file("title.yaml") + " on TEMP_v2 of u (process p7)",
                "deleted builder title from TEMP_v2 of u (process p8)",
                "executed u version v2 as " + out.get(out.size() - 1) + ": 3 rows x 1 columns (process p9)",
                "created instance TEMP_v3 of u (process p10)",
                "deleted instance TEMP_v3 of u (process p11)",
                "deleted table u (process p12)",
                out.get(out.size() - 1));
    }

    @Test
    void jsonResultsEndWithTheProcessId() throws IOException {
        List<String> out = runWrites(true);
        String executed = out.get(out.size() - 1);
        assertThat(out).containsExactly(
                json("table", "t", "processId", "p1"),
                json("table", "t", "newName", "u", "processId", "p2"),
                json("table", "u", "instanceId", "TEMP_base", "processId", "p3"),
                json("table", "u", "version", "base", "rows", 2, "columns", List.of("n"), "processId", "p4"),
                json("table", "u", "instanceId", "TEMP_v2", "processId", "p5"),
                json("table", "u", "version", "v2", "file", file("index.yaml"), "processId", "p6"),
                json("table", "u", "version", "v2", "file", file("title.yaml"), "processId", "p7"),
                json("table", "u", "version", "v2", "builder", "title", "processId", "p8"),
                json("table", "u", "version", "v2", "instanceId", executed, "rows", 3, "columns", List.of("id"),
                        "processId", "p9"),
                json("table", "u", "instanceId", "TEMP_v3", "processId", "p10"),
                json("table", "u", "instanceId", "TEMP_v3", "processId", "p11"),
                json("table", "u", "processId", "p12"),
                executed);
    }

    /** Every write command once, under process ids p1, p2, ...; the stdout lines, then the executed instance id. */
    private List<String> runWrites(boolean json) throws IOException {
        Files.writeString(tmp.resolve("in.csv"), "n:long\n1\n2\n");
        Files.writeString(tmp.resolve("index.yaml"), "name: u_index\ntype: index\nbuilder: range\n"
                + "changedColumns: [id]\ntypes: {id: long}\narguments: {count: 3}\n");
        Files.writeString(tmp.resolve("title.yaml"), "name: title\ntype: column\nbuilder: template\n"
                + "changedColumns: [title]\n");
        Cli cli = new Cli(tmp.resolve("vault"));
        assertThat(cli.tv("init").exit()).isZero();
        List<List<String>> writes = List.of(
                List.of("create-table", "t"),
                List.of("rename-table", "t", "u"),
                List.of("create-instance", "u", "--external-edit"),
                List.of("write", "u", "--csv", file("in.csv")),
                List.of("create-instance", "u", "--version", "v2"),
                List.of("builder", "put", "u", file("index.yaml"), "--version", "v2"),
                List.of("builder", "put", "u", file("title.yaml"), "--version", "v2"),
                List.of("builder", "rm", "u", "title", "--version", "v2"),
                List.of("execute", "u", "--version", "v2"),
                List.of("create-instance", "u", "--version", "v3"),
                List.of("delete-instance", "u", "TEMP_v3"),
                List.of("delete-table", "u"));
        List<String> out = new ArrayList<>();
        String executed = null;
        for (int i = 0; i < writes.size(); i++) {
            List<String> args = new ArrayList<>(writes.get(i));
            args.addAll(List.of("--process-id", "p" + (i + 1)));
            if (json) {
                args.add("--json");
            }
            Cli.Result r = cli.tv(args.toArray(String[]::new));
            assertThat(r.exit()).as("%s: %s", args, r.err()).isZero();
            out.addAll(r.outLines());
            if (args.get(0).equals("execute")) {
                List<String> ids = cli.tv("instances", "u", "--version", "v2").ids();
                executed = ids.get(ids.size() - 1);
            }
        }
        out.add(executed);
        return out;
    }

    private String file(String name) {
        return tmp.resolve(name).toString();
    }

    private static String json(Object... keysAndValues) throws JsonProcessingException {
        Map<String, Object> o = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            o.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return MAPPER.writeValueAsString(o);
    }
}
