package dev.tablevault.tools;

import dev.tablevault.api.ProcessInfo;
import dev.tablevault.api.Vault;
import dev.tablevault.engine.board.BoardEntry;
import dev.tablevault.engine.board.BoardView;
import picocli.CommandLine.Command;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code tv ps}: processes that have not ended (running, paused, or left by a crash), with rows done and total.
 * Answers from the live board without opening RocksDB; reads the store instead (and says why on stderr) when
 * there is no board, part of it is unreadable, or it shows a process as crashed: the store is the truth. JSON
 * says which in {@code source}.
 */
@Command(name = "ps", description = "List active processes (running, paused, or left by a crash).")
final class PsCommand extends VaultCommand {
    @Override
    void execute() {
        BoardView board = BoardView.read(vaultDir(), System.currentTimeMillis());
        String why = !board.found() ? String.join("; ", board.notes())
                : !board.notes().isEmpty() ? String.join("; ", board.notes())
                : board.rows().stream().anyMatch(r -> r.status().equals(BoardView.CRASHED))
                ? "the board shows a crashed process" : null;
        if (why == null) {
            printBoard(board.rows());
        } else {
            if (!json()) { // with --json, "source": "store" says it
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
        print(Json.obj("source", "board", "processes", BoardRows.json(rows)),
                rows.isEmpty() ? "no active processes" : TextTable.render(t));
    }

    private void printStore(List<BoardView.Row> boardRows) {
        Map<String, BoardEntry> progress = new HashMap<>();
        boardRows.forEach(r -> progress.put(r.entry().id(), r.entry()));
        try (Vault v = openReadOnly()) {
            List<ProcessInfo> active = List.copyOf(v.activeProcesses().values());
            List<Object> json = new ArrayList<>();
            List<String[]> t = new ArrayList<>();
            t.add(new String[] {"ID", "OPERATION", "STATE", "AUTHOR", "STEPS", "ROWS", "STARTED", "ERROR"});
            for (ProcessInfo p : active) {
                BoardEntry e = progress.get(p.id());
                @SuppressWarnings("unchecked")
                Map<String, Object> o = (Map<String, Object>) Json.tree(p);
                o.put("rowsDone", e == null ? null : e.rowsDone());
                o.put("rowsTotal", e == null ? null : e.rowsTotal());
                json.add(o);
                t.add(new String[] {p.id(), p.operation(), String.valueOf(p.state()), p.author(),
                    Long.toString(p.stepsDone()), e == null ? "" : BoardRows.rows(e.rowsDone(), e.rowsTotal()),
                    String.valueOf(p.started()), p.error() == null ? "" : p.error()});
            }
            print(Json.obj("source", "store", "processes", json),
                    active.isEmpty() ? "no active processes" : TextTable.render(t));
        }
    }
}
