package dev.tablevault.engine.board;

import dev.tablevault.engine.runner.RunnerId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The board's file is made by its thread, not by the open (PV5): whatever is shown before the file is there is
 * published once it is, a process start waits for the file, and a close that comes first leaves nothing behind.
 */
class BoardStartTest {
    @TempDir
    Path tmp;

    @Test
    void whatIsShownRightAfterOpenIsPublished() {
        try (Board board = Board.open(tmp, Clock.systemUTC())) {
            BoardEntry paused = new BoardEntry("p1", "executeInstance", "t", "v", "PAUSED", "a", "", "", 0, -1, 0, 1,
                    1, RunnerId.current(), false);
            board.dormant(paused);
            Board.Live live = board.start("r1", "executeInstance", "a", 1);
            assertThat(tmp.resolve("board").resolve(RunnerId.current().fileName()))
                    .as("the file once a process start returned").exists();
            board.awaitPublished("p1", paused);
            live.end(true, "source gone");
            assertThat(BoardView.read(tmp, System.currentTimeMillis()).rows())
                    .extracting(r -> r.entry().id() + " " + r.status())
                    .containsExactlyInAnyOrder("p1 PAUSED", "r1 PAUSED");
        }
    }

    @Test
    void closeRightAfterOpenLeavesNoFile() throws IOException {
        for (int i = 0; i < 20; i++) {
            Board.open(tmp, Clock.systemUTC()).close();
            assertThat(boardFiles()).as("board files after close number %d", i).isEmpty();
        }
    }

    private List<Path> boardFiles() throws IOException {
        try (Stream<Path> s = Files.list(tmp.resolve("board"))) {
            return s.toList();
        }
    }
}
