package dev.tablevault.tools;

import dev.tablevault.engine.board.BoardView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.Map;

/**
 * {@code tv top}: the processes running now, from the live board (never RocksDB or the owner), refreshed until
 * interrupted; {@code --once} prints one snapshot. A process whose runner died or stopped heartbeating shows
 * CRASHED with the commands that resume or end it.
 */
@Command(name = "top", description = "Show running processes from the live board (rows/s, progress, ETA,"
        + " heartbeat age), refreshed until interrupted.")
final class TopCommand extends VaultCommand {
    @Option(names = "--once", description = "Print one snapshot and exit.")
    boolean once;

    @Option(names = "--interval", paramLabel = "MS", defaultValue = "1000",
            description = "Refresh interval in milliseconds (default: ${DEFAULT-VALUE}).")
    long interval;

    @Override
    void execute() throws InterruptedException {
        boolean terminal = System.console() != null && !json();
        while (true) {
            BoardView view = BoardView.read(vaultDir(), System.currentTimeMillis());
            if (terminal && !once) {
                out().print("\033[H\033[2J");
            }
            show(view);
            out().flush();
            if (once) {
                return;
            }
            Thread.sleep(Math.max(100, interval));
        }
    }

    private void show(BoardView view) {
        List<BoardView.Row> rows = view.rows();
        Map<String, Object> json = Json.obj("board", view.found(), "processes", BoardRows.json(rows),
                "notes", view.notes());
        StringBuilder text = new StringBuilder();
        if (!view.found()) {
            text.append("no live board: ").append(String.join("; ", view.notes()))
                    .append(" (tv ps reads the store)");
        } else if (rows.isEmpty()) {
            text.append("no active processes");
        } else {
            text.append(BoardRows.top(rows));
            rows.stream().filter(r -> r.status().equals(BoardView.CRASHED)).forEach(r -> text.append('\n')
                    .append(r.entry().id()).append(" CRASHED: ").append(BoardRows.crashedHint(r.entry().id())));
        }
        if (view.found()) {
            view.notes().forEach(n -> text.append("\nnote: ").append(n));
        }
        print(json, text.toString());
    }
}
