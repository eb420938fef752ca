package dev.tablevault.tools;

import dev.tablevault.engine.board.BoardEntry;
import dev.tablevault.engine.board.BoardView;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** How {@code tv ps} and {@code tv top} show board rows: text columns and JSON objects. */
final class BoardRows {
    private BoardRows() {
    }

    /** {@code done/total}, or {@code done} while the total is unknown. */
    static String rows(long done, long total) {
        return total < 0 ? Long.toString(done) : done + "/" + total;
    }

    /** Seconds left at the current rate, or -1 when not known. */
    static long etaSeconds(BoardEntry e) {
        return e.rowsTotal() < 0 || e.rate() <= 0 ? -1 : (long) Math.ceil((e.rowsTotal() - e.rowsDone()) / e.rate());
    }

    /** The commands for a crashed process, as every place that shows one gives them. */
    static String crashedHint(String id) {
        return "resume with 'tv resume " + id + "' or end with 'tv stop " + id + " [--materialize]'";
    }

    static Map<String, Object> json(BoardView.Row r) {
        BoardEntry e = r.entry();
        Map<String, Object> m = Json.obj("id", e.id(), "operation", e.operation(), "state", r.status(),
                "table", e.table(), "version", e.version(), "author", e.author(), "step", e.step(),
                "rowsDone", e.rowsDone(), "rowsTotal", e.rowsTotal(), "rowsPerSecond", Math.round(e.rate()),
                "etaSeconds", etaSeconds(e), "started", Instant.ofEpochMilli(e.started()).toString(),
                "heartbeatAgeMillis", r.heartbeatAge(), "runnerPid", e.runner().pid(),
                "error", e.error().isEmpty() ? null : e.error());
        if (r.status().equals(BoardView.CRASHED)) {
            m.put("hint", crashedHint(e.id()));
        }
        return m;
    }

    static List<Map<String, Object>> json(List<BoardView.Row> rows) {
        List<Map<String, Object>> out = new ArrayList<>();
        rows.forEach(r -> out.add(json(r)));
        return out;
    }

    /** The {@code tv top} table. */
    static String top(List<BoardView.Row> rows) {
        List<String[]> t = new ArrayList<>();
        t.add(new String[] {"ID", "OPERATION", "TABLE", "VERSION", "STATE", "STEP", "ROWS", "PROGRESS", "ROWS/S",
            "ETA", "HEARTBEAT"});
        for (BoardView.Row r : rows) {
            BoardEntry e = r.entry();
            long eta = etaSeconds(e);
            t.add(new String[] {e.id(), e.operation(), e.table(), e.version(), r.status(), e.step(),
                rows(e.rowsDone(), e.rowsTotal()),
                e.rowsTotal() > 0 ? String.format("%.1f%%", 100.0 * e.rowsDone() / e.rowsTotal()) : "",
                Long.toString(Math.round(e.rate())), eta < 0 ? "" : eta + "s",
                String.format("%.1fs", r.heartbeatAge() / 1000.0)});
        }
        return TextTable.render(t);
    }
}
