package dev.tablevault.engine.store;

import dev.tablevault.api.ColumnType;
import dev.tablevault.api.ColumnVector;
import dev.tablevault.api.Frame;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** What a checkpoint cut by bytes counts before encoding is at least what the encoded chunk takes. */
class ChunkSizesTest {
    private static Object value(ColumnType type, Random r) {
        if (r.nextInt(5) == 0) {
            return null;
        }
        return switch (type) {
            case LONG -> r.nextLong();
            case DOUBLE -> r.nextDouble();
            case BOOLEAN -> r.nextBoolean();
            case STRING, ARTIFACT -> {
                StringBuilder s = new StringBuilder();
                for (int i = r.nextInt(40); i > 0; i--) {
                    switch (r.nextInt(4)) {
                        case 0 -> s.append((char) ('a' + r.nextInt(26)));
                        case 1 -> s.append((char) (0x80 + r.nextInt(0x700)));
                        case 2 -> s.append((char) (0x4000 + r.nextInt(0x9000)));
                        default -> s.appendCodePoint(0x10000 + r.nextInt(0xFFFF));
                    }
                }
                yield s.toString();
            }
            case BYTES -> {
                byte[] b = new byte[r.nextInt(40)];
                r.nextBytes(b);
                yield b;
            }
            case TIMESTAMP -> Instant.ofEpochSecond(r.nextInt(), r.nextInt(1_000_000_000));
            case DURATION -> Duration.ofSeconds(r.nextLong() >> 2, r.nextInt(1_000_000_000));
            case OBJECT -> throw new IllegalArgumentException("OBJECT sizes are guessed");
        };
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void theBoundCoversEveryEncodedChunk(long seed) {
        Random r = new Random(seed);
        for (ColumnType type : ColumnType.values()) {
            if (type == ColumnType.OBJECT) {
                continue;
            }
            int n = 1 + r.nextInt(Chunks.ROWS);
            List<Object> values = new ArrayList<>();
            Frame.Builder f = Frame.builder().column("c", type);
            long bound = ChunkSizes.CHUNK_OVERHEAD;
            for (int i = 0; i < n; i++) {
                Object v = value(type, r);
                values.add(v);
                f.row(v);
                bound += ChunkSizes.sizeBound(type, v);
            }
            ColumnVector vector = f.build().vector(0);
            assertThat(bound).as("%s list", type).isGreaterThanOrEqualTo(Chunks.encode(type, values, 0, n).length);
            assertThat(ChunkSizes.CHUNK_OVERHEAD + ChunkSizes.sizeBound(vector, 0, n)).as("%s vector", type)
                    .isGreaterThanOrEqualTo(Chunks.encode(vector, 0, n, "c", 0).length);
        }
    }
}
