package dev.tablevault.engine;

import dev.tablevault.api.ColumnType;
import dev.tablevault.api.ColumnVector;
import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.Frame;
import dev.tablevault.api.TvStorageException;
import dev.tablevault.engine.store.Chunks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.fail;

/**
 * The typed chunk paths ({@link Chunks#encode(ColumnVector, int, int, String, long)} and
 * {@link Chunks#decode(ColumnType, byte[], int, int, ColumnVector.Builder, int)}) against the boxed ones, and
 * against chunk bytes the engine wrote before vectors existed: the on-disk format is unchanged.
 */
class TypedChunksTest {
    /** Chunks written by the boxed encoder of engine {@code b7bac67} (before vectors), with their values. */
    private static final Map<ColumnType, String> GOLDEN = new LinkedHashMap<>();

    static {
        GOLDEN.put(ColumnType.LONG, "0106020001feffffffffffffffffffffffffffffffffffd804");
        GOLDEN.put(ColumnType.DOUBLE, "010502000000000000f83f000000000000f87f0000000000000080000000000000f0ff");
        GOLDEN.put(ColumnType.BOOLEAN, "010404010001");
        GOLDEN.put(ColumnType.STRING, "01050400036162630568e901ac41bdb00380bc030280b00378");
        GOLDEN.put(ColumnType.ARTIFACT, "01020207662f612e747874");
        GOLDEN.put(ColumnType.BYTES, "010302000301fe7f");
        GOLDEN.put(ColumnType.TIMESTAMP, "0105020000ffafdfb9fdbb8e7000fee3aba9dfb48e70ff93ebdc030105");
        GOLDEN.put(ColumnType.DURATION, "0105020000ffffffffffffffffff00feffffffffffffffffff93ebdc0301ff93ebdc03");
        GOLDEN.put(ColumnType.OBJECT, "0103022f01006a6176612e7574696c2e496d6d757461626c65436f6c6c656374696f6e73244c"
                + "69737431b20103090203018278450245ad02090e3a93afd3");
    }

    private static List<Object> goldenValues(ColumnType type) {
        return switch (type) {
            case LONG -> Arrays.asList(0L, null, -1L, Long.MAX_VALUE, Long.MIN_VALUE, 300L);
            case DOUBLE -> Arrays.asList(1.5, null, Double.NaN, -0.0, Double.NEGATIVE_INFINITY);
            case BOOLEAN -> Arrays.asList(true, false, null, true);
            case STRING -> Arrays.asList("", "abc", null, "h\u00e9\u20ac\uD83D\uDE00", "\uD800x");
            case ARTIFACT -> Arrays.asList("f/a.txt", null);
            case BYTES -> Arrays.asList(new byte[0], null, new byte[] {1, -2, 127});
            case TIMESTAMP -> Arrays.asList(Instant.EPOCH, null, Instant.MIN, Instant.MAX, Instant.ofEpochSecond(-1, 5));
            case DURATION -> Arrays.asList(Duration.ZERO, null, Duration.ofSeconds(Long.MIN_VALUE),
                    Duration.ofSeconds(Long.MAX_VALUE, 999_999_999), Duration.ofNanos(-1));
            case OBJECT -> Arrays.asList(List.of(1L, "x"), null, 7L);
        };
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @EnumSource(ColumnType.class)
    void chunksWrittenBeforeVectorsDecodeAndEncodeAsThen(ColumnType type) {
        byte[] old = HexFormat.of().parseHex(GOLDEN.get(type));
        List<Object> want = goldenValues(type);
        List<Object> boxed = new ArrayList<>();
        Chunks.decode(type, old, boxed);
        assertSame(boxed, want);
        ColumnVector typed = decode(type, old, Integer.MAX_VALUE);
        assertSame(boxedValues(typed), want);
        assertThat(HexFormat.of().formatHex(Chunks.encode(typed, 0, typed.size(), "c", 0))).isEqualTo(GOLDEN.get(type));
        assertThat(HexFormat.of().formatHex(Chunks.encode(type, want, 0, want.size()))).isEqualTo(GOLDEN.get(type));
    }

    /** Seeded random columns (every type, 0-100% nulls, chunk-sized and odd sizes): typed and boxed agree. */
    @ParameterizedTest(name = "[{index}] {0} x {1}, seed {2}")
    @MethodSource("dev.tablevault.engine.CodecTest#chunkCases")
    void typedPathsAgreeWithBoxedOnes(ColumnType type, int size, long seed) {
        List<Object> values = CodecTest.randomColumn(type, size, seed);
        List<Object> padded = new ArrayList<>(CodecTest.randomColumn(type, 5, seed + 100));
        padded.addAll(values);
        padded.addAll(CodecTest.randomColumn(type, 3, seed + 200));
        ColumnVector vector = vectorOf(type, padded);

        byte[] boxedBytes = Chunks.encode(type, padded, 5, 5 + size);
        assertThat(Chunks.encode(vector, 5, 5 + size, "c", 5)).isEqualTo(boxedBytes);

        // Decoded after what the builder already holds, and cut short by max.
        ColumnVector.Builder b = ColumnVector.builder(type, 1);
        b.appendNull();
        assertThat(Chunks.decode(type, boxedBytes, 0, boxedBytes.length, b, Integer.MAX_VALUE)).isEqualTo(size);
        ColumnVector back = b.build();
        assertThat(back.isNull(0)).isTrue();
        assertSame(boxedValues(back).subList(1, back.size()), values);

        int max = size / 2;
        ColumnVector half = decode(type, boxedBytes, max);
        assertSame(boxedValues(half), values.subList(0, max));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @EnumSource(ColumnType.class)
    void everyTruncationIsCorruptionOnTheTypedPath(ColumnType type) {
        List<Object> values = CodecTest.randomColumn(type, 40, 1);
        values.set(39, CodecTest.randomValue(type, new java.util.Random(7)));
        byte[] bytes = Chunks.encode(type, values, 0, values.size());
        for (int len = 0; len < bytes.length; len++) {
            byte[] cut = Arrays.copyOf(bytes, len);
            Throwable t = catchThrowable(() -> decode(type, cut, Integer.MAX_VALUE));
            assertThat(t).as("cut at " + len).isExactlyInstanceOf(TvStorageException.class);
            assertThat(((TvStorageException) t).code()).isEqualTo(ErrorCode.CORRUPTION);
        }
    }

    @Test
    void aChunkOfANewerFormatIsUnsupportedOnTheTypedPath() {
        byte[] b = {2, 0};
        Throwable t = catchThrowable(() -> decode(ColumnType.LONG, b, 10));
        assertThat(((TvStorageException) t).code()).isEqualTo(ErrorCode.UNSUPPORTED_FORMAT);
    }

    static ColumnVector decode(ColumnType type, byte[] bytes, int max) {
        ColumnVector.Builder b = ColumnVector.builder(type, 4);
        Chunks.decode(type, bytes, 0, bytes.length, b, max);
        return b.build();
    }

    static ColumnVector vectorOf(ColumnType type, List<Object> values) {
        ColumnVector.Builder b = ColumnVector.builder(type, 0);
        values.forEach(b::append);
        return b.build();
    }

    static List<Object> boxedValues(ColumnVector v) {
        List<Object> out = new ArrayList<>();
        for (int r = 0; r < v.size(); r++) {
            out.add(v.get(r));
        }
        return out;
    }

    private static void assertSame(List<Object> actual, List<Object> expected) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            if (!Frame.valueEquals(actual.get(i), expected.get(i))) {
                fail("value " + i + ": expected " + expected.get(i) + " but was " + actual.get(i));
            }
        }
    }
}
