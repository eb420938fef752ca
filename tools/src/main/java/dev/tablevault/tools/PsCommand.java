package dev.tablevault.tools;

import dev.tablevault.api.ProcessInfo;
import dev.tablevault.api.Vault;
import dev.tablevault.engine.TableVault;
import dev.tablevault.engine.board.BoardEntry;
import dev.tablevault.engine.board.BoardView;
import dev.tablevault.engine.store.Backend;
import picocli.CommandLine.Command;

import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code tv ps}: processes that have not ended (running, paused, or left by a crash: CRASHED), with rows done and
 * total, then how to resume or stop each paused or crashed one. Answers from the live board without opening
 * RocksDB; reads the store instead when there is no board, and says why on stderr when part of it is
 * unreadable or it shows a process as crashed: the store is the truth. JSON says which in {@code source}. On a
 * shared vault each process also shows its run: the host that runs it, its fence, and the run state where it
 * differs from the record's (JSON: {@code host}, {@code fence}, {@code runState}).
 */
@Command(name = "ps", description = "List active processes (running, paused, or left by a crash).")
final class PsCommand extends VaultCommand {
    @Override
    void execute() {
        if (sharedVault()) { // each host keeps its own board; the store has every process
            printStore(List.of());
            return;
        }
        BoardView board = BoardView.read(vaultDir(), System.currentTimeMillis());
        // No board (no process has the vault open for writing, or it runs without one): the store, silently.
        boolean noBoard = !board.found() && !Files.isDirectory(vaultDir().resolve("board"));
        String why = noBoard ? null : !board.notes().isEmpty() ? String.join("; ", board.notes())
                : board.rows().stream().anyMatch(r -> r.status().equals(BoardView.CRASHED))
                ? "the board shows a crashed process" : null;
        if (board.found() && why == null) {
            printBoard(board.rows());
        } else {
            if (why != null && !json()) { // with --json, "source": "store" says it
                spec.commandLine().getErr().println("tv ps: read from the store (" + why + ")");
            }
            printStore(board.rows());
        }
    }

    private void printBoard(List<BoardView.Row> rows) {
        List<String[]> t = new ArrayList<>();
        t.add(new String[] {"ID", "OPERATION", "STATE", "AUTHOR", "ROWS", "STEP", "STARTED", "ERROR"});
        for (BoardView.Row r : rows) {
            BoardEntry e = r.entry();
            t.add(new String[] {e.id(), e.operation(), r.status(), e.author(), BoardRows.rows(e.rowsDone(),
                e.rowsTotal()), e.step(), Instant.ofEpochMilli(e.started()).toString(), e.error()});
        }
        StringBuilder paused = new StringBuilder();
        rows.stream().filter(r -> r.status().equals("PAUSED"))
                .forEach(r -> paused.append(commands(r.entry().id(), " is paused")));
        print(Json.obj("source", "board", "processes", BoardRows.json(rows)),
                rows.isEmpty() ? "no active processes" : TextTable.render(t) + paused);
    }

    private void printStore(List<BoardView.Row> boardRows) {
        Map<String, BoardEntry> progress = new HashMap<>();
        boardRows.forEach(r -> progress.put(r.entry().id(), r.entry()));
        try (Vault v = openReadOnly()) {
            List<ProcessInfo> active = List.copyOf(v.activeProcesses().values());
            Map<String, Backend.Run> runs = sharedVault() ? TableVault.runs(v) : null;
            List<Object> json = new ArrayList<>();
            List<String[]> t = new ArrayList<>();
            t.add(columns(runs, new String[] {"ID", "OPERATION", "STATE", "AUTHOR", "STEPS", "ROWS", "STARTED",
                "ERROR"}, new String[] {"HOST", "FENCE", "RUN"}));
            for (ProcessInfo p : active) {
                BoardEntry e = progress.get(p.id());
                @SuppressWarnings("unchecked")
                Map<String, Object> o = (Map<String, Object>) Json.tree(p);
                o.put("rowsDone", e == null ? null : e.rowsDone());
                o.put("rowsTotal", e == null ? null : e.rowsTotal());
                Backend.Run run = runs == null ? null : runs.get(p.id());
                if (runs != null) {
                    o.put("host", run == null ? null : run.ownerHost());
                    o.put("fence", run == null ? null : run.fence());
                    o.put("runState", run == null ? null : run.state());
                }
                json.add(o);
                t.add(columns(runs, new String[] {p.id(), p.operation(), String.valueOf(p.status()), p.author(),
                    Long.toString(p.stepsDone()), e == null ? "" : BoardRows.rows(e.rowsDone(), e.rowsTotal()),
                    String.valueOf(p.started()), p.error() == null ? "" : p.error()}, run == null
                    ? new String[] {"", "", ""} : new String[] {run.ownerHost() == null ? "" : run.ownerHost(),
                        Long.toString(run.fence()), run.state().equals(String.valueOf(p.status())) ? "" : run.state()}));
            }
            print(Json.obj("source", "store", "processes", json),
                    active.isEmpty() ? "no active processes" : TextTable.render(t) + waiting(active));
        }
    }

    /**
     * A row of the store table: {@code cells}, and on a shared vault ({@code runs} not null) the run's cells after
     * STATE. The run state shows only where it differs from STATE (ORPHANED while the record says RUNNING).
     */
    private static String[] columns(Map<String, Backend.Run> runs, String[] cells, String[] run) {
        if (runs == null) {
            return cells;
        }
        String[] all = new String[cells.length + run.length];
        System.arraycopy(cells, 0, all, 0, 3);
        System.arraycopy(run, 0, all, 3, run.length);
        System.arraycopy(cells, 3, all, 3 + run.length, cells.length - 3);
        return all;
    }

    /** For each crashed or paused process, the commands that resume or stop it (it keeps its locks until then). */
    private String waiting(List<ProcessInfo> active) {
        StringBuilder sb = new StringBuilder();
        for (ProcessInfo p : active) {
            String why = switch (p.status()) {
                case CRASHED -> " crashed (its runner, OS process " + p.runnerPid() + ", is gone)";
                case PAUSED -> " is paused";
                default -> null;
            };
            if (why != null) {
                sb.append(commands(p.id(), why));
            }
        }
        return sb.toString();
    }

    /** A line: process {@code id}, {@code why} it waits, and the commands that resume or stop it. */
    private String commands(String id, String why) {
        String tv = "tv --vault " + vaultLocation() + " ";
        return "\n" + id + why + ": resume it with " + tv + "resume " + id + ", or stop it with " + tv + "stop " + id
                + " [--materialize]";
    }
}
