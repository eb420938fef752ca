package dev.tablevault.engine.board;

import dev.tablevault.engine.runner.RunnerId;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the board of a vault shows now, read from every board file without RocksDB, the owner or any wait on a
 * lock. A process found in several files shows as its running entry if a live runner has one, else as its
 * newest entry.
 *
 * <p>Liveness: a running entry whose file's runner is gone, or whose heartbeat is older than
 * {@link Board#STALE_MILLIS}, shows as {@code CRASHED}; so does an entry that is not running whose saved state is
 * SETUP or RUNNING while its runner is gone (as the store would report it). The store stays the truth: a reader
 * that can read it should confirm what shows as crashed there.
 *
 * @param found true when at least one board file was read; false means: no board (read the store)
 * @param rows the processes, oldest first
 * @param notes what could not be read, one line each (damaged files, segments a dead writer left locked, files
 *     of a runner that is gone)
 */
public record BoardView(boolean found, List<Row> rows, List<String> notes) {
    /** The status shown for a process whose runner is gone or silent. */
    public static final String CRASHED = "CRASHED";

    /**
     * One process.
     *
     * @param entry as its runner last published it
     * @param status the state to show: the entry's, or {@link #CRASHED}
     * @param heartbeatAge how old its heartbeat is, in ms
     */
    public record Row(BoardEntry entry, String status, long heartbeatAge) {
    }

    /** Reads the board of the vault at {@code vaultDir}, judging heartbeats against {@code now} (epoch ms). */
    public static BoardView read(Path vaultDir, long now) {
        Path dir = vaultDir.resolve("board");
        List<String> notes = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return new BoardView(false, List.of(), List.of("no board folder (no process runs, or the board is off)"));
        }
        String problem = ChronicleFlags.problem();
        if (problem != null) {
            return new BoardView(false, List.of(), List.of("cannot read the board: " + problem));
        }
        Map<String, Row> byId = new LinkedHashMap<>();
        boolean found = false;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.cm")) {
            for (Path f : files) {
                RunnerId writer = RunnerId.ofFileName(f.getFileName().toString());
                if (writer != null && readFile(f, writer, now, byId, notes)) {
                    found = true;
                }
            }
        } catch (IOException e) {
            notes.add("cannot list " + dir + ": " + e);
        }
        List<Row> rows = new ArrayList<>(byId.values());
        rows.sort(Comparator.comparingLong((Row r) -> r.entry().started()).thenComparing(r -> r.entry().id()));
        return new BoardView(found, List.copyOf(rows), List.copyOf(notes));
    }

    private static boolean readFile(Path f, RunnerId writer, long now, Map<String, Row> byId, List<String> notes) {
        boolean writerAlive = writer.isAlive();
        BoardFile.Read read;
        try (BoardFile bf = BoardFile.open(f)) {
            read = bf.readAll();
        } catch (NoSuchFileException e) {
            return false; // its writer closed meanwhile
        } catch (IOException | RuntimeException | InternalError | AssertionError e) {
            // InternalError: a truncated file faults on access; AssertionError: Chronicle's header checks.
            notes.add("unreadable board file " + f.getFileName() + " (" + e.getClass().getSimpleName() + ")");
            return false;
        }
        if (!writerAlive) {
            // A runner killed before its heartbeat thread published what it had begun left a file without it.
            notes.add("board file " + f.getFileName() + ": its runner, OS process " + writer.pid() + ", is gone, so"
                    + " it may lack what that runner had begun");
        }
        if (read.lockedSegments() > 0) {
            notes.add("board file " + f.getFileName() + ": " + read.lockedSegments() + " segment(s) locked"
                    + (writerAlive ? "" : " by its dead writer") + "; some entries may be missing");
        }
        int bad = 0;
        for (byte[] v : read.values()) {
            BoardEntry e = BoardEntry.decode(v);
            if (e == null) {
                bad++;
                continue;
            }
            if (e.id().equals(Board.INCOMPLETE)) {
                notes.add("board file " + f.getFileName() + " holds fewer processes than its runner has; the store"
                        + " has them all");
                continue;
            }
            // The entry's runner is the file's writer, or a caller whose builder code the writer runs.
            boolean runnerAlive = e.runner().equals(writer) ? writerAlive : e.runner().isAlive();
            Row r = new Row(e, status(e, writerAlive, runnerAlive, now), Math.max(0, now - e.heartbeat()));
            byId.merge(e.id(), r, BoardView::better);
        }
        if (bad > 0) {
            notes.add("board file " + f.getFileName() + ": " + bad + " damaged entr" + (bad == 1 ? "y" : "ies"));
        }
        return true;
    }

    private static String status(BoardEntry e, boolean writerAlive, boolean runnerAlive, long now) {
        if (e.running()) {
            return writerAlive && runnerAlive && now - e.heartbeat() <= Board.STALE_MILLIS ? e.state() : CRASHED;
        }
        boolean inFlight = e.state().equals("RUNNING") || e.state().equals("SETUP");
        return inFlight && !runnerAlive ? CRASHED : e.state();
    }

    private static Row better(Row a, Row b) {
        boolean aLive = a.entry().running() && !a.status().equals(CRASHED);
        boolean bLive = b.entry().running() && !b.status().equals(CRASHED);
        if (aLive != bLive) {
            return aLive ? a : b;
        }
        return a.entry().heartbeat() >= b.entry().heartbeat() ? a : b;
    }
}
