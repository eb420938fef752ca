package dev.tablevault.tools;

import dev.tablevault.api.BuilderSpec;
import dev.tablevault.api.ColumnType;
import dev.tablevault.api.ExecuteOptions;
import dev.tablevault.api.Frame;
import dev.tablevault.api.InstanceOptions;
import dev.tablevault.api.OpOptions;
import dev.tablevault.api.ProcessInfo;
import dev.tablevault.api.ReadOptions;
import dev.tablevault.api.TableOptions;
import dev.tablevault.api.Vault;
import dev.tablevault.api.WriteOptions;
import dev.tablevault.engine.TableVault;
import dev.tablevault.engine.builtin.Builtins;
import picocli.CommandLine.Command;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code tv demo}: the walk-through. Creates the vault if the directory is new or empty (else uses it), then a
 * table, an external-edit instance, writes a small frame under a generated process id, reads it back and shows
 * the processes; then builds a second table from it with builders (references, a failing service that pauses
 * the process, a resume) and re-executes it with one builder changed, printing each step.
 */
@Command(name = "demo", description = "Walk through the main job step by step: create a vault (if DIR is new or"
        + " empty), a table and an instance, write rows, read them back, show processes and history; then build a"
        + " second table with builders, pause on a failing service, resume, and re-execute one changed builder.")
final class DemoCommand extends VaultCommand {
    private final List<Map<String, Object>> steps = new ArrayList<>();

    @Override
    void execute() throws IOException {
        Path dir = vaultDir();
        boolean create = isNewOrEmpty(dir);
        try (Vault v = TableVault.open(dir, options().create(create))) {
            step("open", (create ? "created a new vault at " : "opened the existing vault at ") + dir,
                    Json.obj("vault", dir.toString(), "created", create));
            String table = freeName(v.tables(), "stories");
            String p = v.createTable(table, TableOptions.defaults().description("made by tv demo"));
            step("createTable", "created table '" + table + "' (process " + p + ")", Json.obj("table", table,
                    "processId", p));
            p = v.createInstance(table, InstanceOptions.defaults().externalEdit(true));
            step("createInstance", "created the external-edit instance TEMP_base (process " + p + ")",
                    Json.obj("instanceId", "TEMP_base", "processId", p));
            Frame frame = sample();
            String pid = v.generateProcessId();
            v.writeInstance(table, frame, WriteOptions.defaults().processId(pid));
            List<String> ids = v.instances(table, "base", false);
            String id = ids.get(ids.size() - 1);
            step("writeInstance", "wrote " + frame.rowCount() + " rows x " + frame.columnCount() + " columns under"
                    + " the generated process id " + pid + "; materialized as " + id,
                    Json.obj("processId", pid, "instanceId", id, "rows", frame.rowCount()));
            Frame back = v.dataframe(table, ReadOptions.latest());
            boolean same = back.equals(frame);
            step("dataframe", "read it back (" + back.rowCount() + " rows, " + (same ? "identical to" : "DIFFERENT"
                    + " from") + " what was written):\n" + indent(csv(back)), Json.obj("identical", same,
                    "columns", back.columns(), "rows", rows(back)));
            Map<String, ProcessInfo> active = v.activeProcesses();
            step("activeProcesses", "active processes: " + (active.isEmpty() ? "none (every write committed)"
                    : "\n" + indent(TextTable.processes(active.values()))), Json.obj("active", active.values()));
            List<ProcessInfo> history = v.processHistory(5);
            step("processHistory", "the last " + history.size() + " finished processes, newest first:\n"
                    + indent(TextTable.processes(history)), Json.obj("history", history));
            if (!same) {
                throw new IllegalStateException("the frame read back differs from the one written: " + back);
            }
            execute(v, dir, table);
            if (json()) {
                out().println(Json.write(Json.obj("vault", dir.toString(), "table", table, "instanceId", id,
                        "steps", steps)));
            } else {
                out().println("done. Next: tv --vault " + dir + " show " + table + "   |   tv --vault " + dir
                        + " history");
            }
        }
    }

    /**
     * Builds a second table from the first with builders: references, a flaky service that pauses the process
     * and a resume by the same call, then a re-execution in which only the changed builder runs.
     */
    private void execute(Vault v, Path dir, String source) throws IOException {
        String table = freeName(v.tables(), "blurbs");
        v.createTable(table, TableOptions.defaults().description("built from " + source + " by tv demo"));
        v.createInstance(table, InstanceOptions.defaults());
        String self = "<<self.id[index]>>";
        v.putBuilder(table, "base", BuilderSpec.fromYaml("name: " + table + "_index\ntype: index\nbuilder: copy\n"
                + "changedColumns: [id]\ntypes: {id: long}\nprimaryKey: [id]\narguments: {from: '<<" + source
                + ".id>>'}\n"), OpOptions.defaults());
        v.putBuilder(table, "base", blurb(source, self, "rated"), OpOptions.defaults());
        Path flag = Files.createTempFile("tv-demo-service-down", "");
        v.putBuilder(table, "base", BuilderSpec.fromYaml("name: answer\ntype: column\nbuilder: external\n"
                + "changedColumns: [answer]\narguments: {failWhileFileExists: '" + flag.toString().replace("'", "''")
                + "'}\n"), OpOptions.defaults());
        String pid = v.generateProcessId();
        ExecuteOptions run = ExecuteOptions.defaults().processId(pid).checkpointRows(1);
        try {
            try {
                v.executeInstance(table, run);
                throw new IllegalStateException("the simulated service did not fail");
            } catch (Builtins.ExternalFailure e) {
                step("executeInstance", "executed table '" + table + "' with builders; the simulated service"
                        + " failed, so process " + pid + " is " + v.process(pid).state() + ", holding its locks ("
                        + e.getMessage() + ")", Json.obj("table", table, "processId", pid, "state",
                        v.process(pid).state()));
            }
        } finally {
            Files.deleteIfExists(flag);
        }
        v.executeInstance(table, run);
        List<String> ids = v.instances(table, "base", false);
        String first = ids.get(ids.size() - 1);
        step("resume", "the service is back: the same call resumed " + pid + " from its checkpoint and"
                + " materialized " + first + ":\n" + indent(csv(v.dataframe(table, ReadOptions.latest()))),
                Json.obj("processId", pid, "instanceId", first));
        v.createInstance(table, InstanceOptions.defaults().originId(first));
        v.putBuilder(table, "base", blurb(source, self, "scored"), OpOptions.defaults());
        v.executeInstance(table, ExecuteOptions.defaults());
        ids = v.instances(table, "base", false);
        String second = ids.get(ids.size() - 1);
        List<String> changed = v.description(table, second).changedColumns();
        step("reExecute", "changed one builder and executed again from " + first + ": only " + changed
                + " recomputed, the other columns carried over as " + second, Json.obj("instanceId", second,
                "changedColumns", changed));
    }

    private static BuilderSpec blurb(String source, String self, String verb) {
        return BuilderSpec.fromYaml("name: blurb\ntype: column\nbuilder: template\nchangedColumns: [blurb]\n"
                + "arguments: {template: '<<" + source + ".title[id::" + self + "]>> " + verb + " <<" + source
                + ".rating[id::" + self + "]>>'}\n");
    }

    private void step(String name, String text, Map<String, Object> detail) {
        Map<String, Object> s = Json.obj("step", steps.size() + 1, "name", name);
        s.putAll(detail);
        steps.add(s);
        if (!json()) {
            out().println("[" + steps.size() + "] " + text);
            out().flush();
        }
    }

    static Frame sample() {
        return Frame.builder().column("id", ColumnType.LONG).column("title", ColumnType.STRING)
                .column("rating", ColumnType.DOUBLE).column("read", ColumnType.BOOLEAN)
                .column("added", ColumnType.TIMESTAMP)
                .row(1L, "The Lighthouse", 4.5, true, Instant.parse("2024-05-01T09:30:00Z"))
                .row(2L, "Night Train, Part 2", 3.75, false, Instant.parse("2024-05-02T18:05:00Z"))
                .row(3L, null, null, null, null)
                .build();
    }

    private static boolean isNewOrEmpty(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return true;
        }
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }

    private static String freeName(List<String> tables, String base) {
        String name = base;
        for (int i = 2; tables.contains(name); i++) {
            name = base + "-" + i;
        }
        return name;
    }

    private static List<List<Object>> rows(Frame f) {
        List<List<Object>> rows = new ArrayList<>();
        for (int r = 0; r < f.rowCount(); r++) {
            rows.add(f.row(r));
        }
        return rows;
    }

    private static String csv(Frame f) {
        StringBuilder sb = new StringBuilder(Csv.headerLine(f.columns()));
        for (int r = 0; r < f.rowCount(); r++) {
            sb.append('\n').append(Csv.line(f.row(r)));
        }
        return sb.toString();
    }

    private static String indent(String text) {
        return "    " + text.replace("\n", "\n    ");
    }
}
