package dev.tablevault.engine.board;

import dev.tablevault.engine.runner.RunnerId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** A board file read whole: every entry once, however many share an encoded length. */
class BoardViewTest {
    @TempDir
    Path tmp;

    @Test
    void readsEveryEntryOfAFullFile() throws Exception {
        int n = 1000;
        Path dir = Files.createDirectories(tmp.resolve("board"));
        long now = System.currentTimeMillis();
        try (BoardFile f = BoardFile.create(dir.resolve(RunnerId.current().fileName()))) {
            for (int i = 0; i < n; i++) {
                // Equal lengths: a reader that reuses one array per length would see one entry many times.
                String id = String.format("p-%04d", i);
                assertThat(f.put(id, new BoardEntry(id, "executeInstance", "t", "v", "PAUSED", "a", "", "", 0, -1, 0,
                        now, now, RunnerId.current(), false).encode())).isTrue();
            }
            BoardView view = BoardView.read(tmp, now);
            assertThat(view.notes()).isEmpty();
            assertThat(view.rows().stream().map(r -> r.entry().id()).collect(Collectors.toList()))
                    .isEqualTo(IntStream.range(0, n).mapToObj(i -> String.format("p-%04d", i)).toList());
        }
    }

    /**
     * tv ps trusts a board without notes; a file whose runner died before publishing the process it had begun
     * shows nothing of it, so it must be a note (InterruptTest once saw "no active processes" after a Ctrl-C).
     */
    @Test
    void aFileOfAGoneRunnerIsANoteEvenWhenEmpty() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("board"));
        RunnerId gone = new RunnerId(ProcessHandle.current().pid(), RunnerId.current().startMillis()
                - 10 * RunnerId.START_TOLERANCE_MILLIS);
        try (BoardFile f = BoardFile.create(dir.resolve(gone.fileName()))) {
            BoardView view = BoardView.read(tmp, System.currentTimeMillis());
            assertThat(view.found()).isTrue();
            assertThat(view.rows()).isEmpty();
            assertThat(view.notes()).singleElement().asString().contains("is gone");
        }
    }
}
