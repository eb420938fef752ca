package dev.tablevault.engine.board;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A board file read back whole gives each entry's own value, also after removals in between. */
class BoardFileTest {
    @TempDir
    Path tmp;

    @Test
    void readAllReturnsEveryValueAsWritten() throws Exception {
        Path f = tmp.resolve("1-2.cm");
        try (BoardFile w = BoardFile.create(f)) {
            for (String k : List.of("p-a", "gone", "p-b", "p-c")) {
                assertThat(w.put(k, k.getBytes(StandardCharsets.UTF_8))).isTrue();
            }
            assertThat(w.remove("gone")).isTrue();
            try (BoardFile r = BoardFile.open(f)) {
                List<String> values = r.readAll().values().stream()
                        .map(v -> new String(v, StandardCharsets.UTF_8)).toList();
                assertThat(values).containsExactlyInAnyOrder("p-a", "p-b", "p-c");
            }
        }
    }
}
