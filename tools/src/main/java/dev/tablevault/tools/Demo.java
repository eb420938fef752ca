package dev.tablevault.tools;

import dev.tablevault.api.ColumnType;
import dev.tablevault.api.Frame;
import dev.tablevault.api.InstanceOptions;
import dev.tablevault.api.ProcessInfo;
import dev.tablevault.api.ReadOptions;
import dev.tablevault.api.TableOptions;
import dev.tablevault.api.Vault;
import dev.tablevault.api.WriteOptions;
import dev.tablevault.engine.TableVault;
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
 * the processes, printing each step.
 */
@Command(name = "demo", description = "Walk through the main job step by step: create a vault (if DIR is new or"
        + " empty), a table and an instance, write rows, read them back, show processes and history.")
final class Demo extends TvCommand {
    private final List<Map<String, Object>> steps = new ArrayList<>();

    @Override
    void execute() throws IOException {
        Path dir = vaultDir();
        boolean create = isNewOrEmpty(dir);
        try (Vault v = TableVault.open(dir, options().create(create))) {
            step("open", (create ? "created a new vault at " : "opened the existing vault at ") + dir,
                    Json.obj("vault", dir.toString(), "created", create));
            String table = freeName(v.tables());
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
            if (json()) {
                out().println(Json.write(Json.obj("vault", dir.toString(), "table", table, "instanceId", id,
                        "steps", steps)));
            } else {
                out().println("done. Next: tv --vault " + dir + " show " + table + "   |   tv --vault " + dir
                        + " history");
            }
        }
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

    private static String freeName(List<String> tables) {
        String name = "stories";
        for (int i = 2; tables.contains(name); i++) {
            name = "stories-" + i;
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
