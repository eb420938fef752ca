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
 * The board's file is made by its thread once there is something to show, not by the open (PV5): whatever is
 * shown before the file is there is published once it is, a process start waits for the file, and a close that
 * comes first leaves nothing behind.
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
    void aBoardWithNothingToShowMakesNoFileUntilAProcessStarts() throws IOException {
        try (Board board = Board.open(tmp, Clock.systemUTC())) {
            assertThat(boardFiles()).as("no file while nothing is shown").isEmpty();
            assertThat(BoardView.read(tmp, System.currentTimeMillis()).found()).isFalse();
            board.start("r1", "createTable", "a", 1).end(false, null);
            assertThat(boardFiles()).as("the file once a process started")
                    .containsExactly(tmp.resolve("board").resolve(RunnerId.current().fileName()));
        }
        assertThat(boardFiles()).as("after close").isEmpty();
    }

    @Test
    void closeRightAfterOpenLeavesNoFile() throws IOException {
        for (int i = 0; i < 20; i++) {
            Board b = Board.open(tmp, Clock.systemUTC());
            if (i % 2 == 1) {
                b.dormant(new BoardEntry("p" + i, "executeInstance", "t", "v", "PAUSED", "a", "", "", 0, -1, 0, 1,
                        1, RunnerId.current(), false)); // the thread may be making the file as close comes
            }
            b.close();
            assertThat(boardFiles()).as("board files after close number %d", i).isEmpty();
        }
    }

    private List<Path> boardFiles() throws IOException {
        try (Stream<Path> s = Files.list(tmp.resolve("board"))) {
            return s.toList();
        }
    }
}
