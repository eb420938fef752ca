package dev.tablevault.engine.board;

import dev.tablevault.engine.runner.RunnerId;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Board entries round-trip through their bytes; cut or foreign bytes decode to null, never throw. */
class BoardEntryTest {
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void roundTripsAndRefusesCutBytes(long seed) {
        Random rnd = new Random(seed);
        BoardEntry e = new BoardEntry(word(rnd), word(rnd), word(rnd), word(rnd), "RUNNING", word(rnd), word(rnd),
                word(rnd), rnd.nextLong(), rnd.nextLong(), rnd.nextDouble(), rnd.nextLong(), rnd.nextLong(),
                new RunnerId(rnd.nextLong(), rnd.nextLong()), rnd.nextBoolean());
        byte[] bytes = e.encode();
        assertThat(BoardEntry.decode(bytes)).isEqualTo(e);
        assertThat(BoardEntry.decode(Arrays.copyOf(bytes, rnd.nextInt(bytes.length)))).isNull();
        byte[] junk = new byte[bytes.length];
        rnd.nextBytes(junk);
        junk[0] = 9;
        assertThat(BoardEntry.decode(junk)).isNull();
    }

    private static String word(Random rnd) {
        StringBuilder b = new StringBuilder();
        int n = rnd.nextInt(30);
        for (int i = 0; i < n; i++) {
            b.append((char) ('a' + rnd.nextInt(26)));
        }
        return rnd.nextInt(5) == 0 ? b + "\u00e9\u4e2d" : b.toString();
    }
}
