package dev.tablevault.engine.store;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link Keys#of} builds the very bytes stored keys were written with: the parts joined by NUL, in UTF-8. */
class KeysTest {
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void partsAreJoinedAsUtf8OfTheJoinedString(long seed) {
        Random rnd = new Random(seed);
        for (int round = 0; round < 500; round++) {
            String[] parts = new String[rnd.nextInt(5)];
            for (int i = 0; i < parts.length; i++) {
                StringBuilder b = new StringBuilder();
                for (int c = rnd.nextInt(6); c > 0; c--) {
                    // ASCII, Latin-1, CJK, and lone or paired surrogates (legal in Java strings)
                    int kind = rnd.nextInt(5);
                    b.append(switch (kind) {
                        case 0 -> (char) ('a' + rnd.nextInt(26));
                        case 1 -> (char) (0xa0 + rnd.nextInt(0x60));
                        case 2 -> (char) (0x4e00 + rnd.nextInt(0x100));
                        case 3 -> (char) (0xd800 + rnd.nextInt(0x400));
                        default -> (char) (0xdc00 + rnd.nextInt(0x400));
                    });
                }
                parts[i] = b.toString();
            }
            assertThat(Keys.of(parts)).isEqualTo(String.join("\0", parts).getBytes(StandardCharsets.UTF_8));
        }
    }
}
