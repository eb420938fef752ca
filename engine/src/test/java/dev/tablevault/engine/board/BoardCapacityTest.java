package dev.tablevault.engine.board;

import dev.tablevault.engine.runner.RunnerId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A board file that cannot show every process says so, so that readers ask the store; once there is room again,
 * the processes left out are shown and the mark goes.
 */
class BoardCapacityTest {
    @TempDir
    Path tmp;

    private static BoardEntry paused(String id) {
        return new BoardEntry(id, "executeInstance", "t", "v", "PAUSED", "a", "", "", 0, -1, 0, 1, 1,
                RunnerId.current(), false);
    }

    @Test
    void aFullBoardSaysItIsIncompleteUntilThereIsRoom() {
        try (Board board = Board.open(tmp, Clock.systemUTC(), 2)) {
            assertThat(board.on()).isTrue();
            for (String id : new String[] {"p1", "p2"}) {
                BoardEntry e = paused(id);
                board.dormant(e);
                board.awaitPublished(id, e);
            }
            BoardEntry third = paused("p3");
            board.dormant(third);
            BoardView full = await(false);
            assertThat(full.rows()).as("rows; notes %s", full.notes()).extracting(r -> r.entry().id())
                    .containsExactlyInAnyOrder("p1", "p2");
            assertThat(full.notes()).anyMatch(n -> n.contains("holds fewer processes than its runner has"));

            board.forget("p1");
            board.awaitPublished("p3", third);
            BoardView room = await(true);
            assertThat(room.rows()).extracting(r -> r.entry().id()).containsExactlyInAnyOrder("p2", "p3");
        }
    }

    /**
     * The board once its notes are empty ({@code complete}) or say only that it is incomplete (10 s safety net).
     * A read that met a segment the writer held at that moment notes it and misses its entries: read again.
     */
    private BoardView await(boolean complete) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        BoardView v = BoardView.read(tmp, System.currentTimeMillis());
        while (!settled(v, complete) && System.nanoTime() < deadline) {
            Thread.onSpinWait();
            v = BoardView.read(tmp, System.currentTimeMillis());
        }
        return v;
    }

    private static boolean settled(BoardView v, boolean complete) {
        return complete ? v.notes().isEmpty() : !v.notes().isEmpty()
                && v.notes().stream().allMatch(n -> n.contains("holds fewer processes than its runner has"));
    }
}
