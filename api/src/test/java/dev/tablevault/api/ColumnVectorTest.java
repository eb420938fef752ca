package dev.tablevault.api;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.params.provider.Arguments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ColumnVectorTest {
    /** A seeded value of each type, edge cases included. */
    static Object value(ColumnType t, Random r) {
        return switch (t) {
            case LONG -> new long[] {Long.MIN_VALUE, Long.MAX_VALUE, 0, r.nextLong()}[r.nextInt(4)];
            case DOUBLE -> new double[] {Double.NaN, -0.0, 0.0, Double.NEGATIVE_INFINITY, r.nextGaussian()}[r.nextInt(5)];
            case BOOLEAN -> r.nextBoolean();
            case STRING, ARTIFACT -> string(r);
            case BYTES -> {
                byte[] b = new byte[r.nextInt(20)];
                r.nextBytes(b);
                yield b;
            }
            case TIMESTAMP -> new Instant[] {Instant.MIN, Instant.MAX, Instant.EPOCH,
                    Instant.ofEpochSecond(r.nextInt() * 1000L, r.nextInt(1_000_000_000))}[r.nextInt(4)];
            case DURATION -> new Duration[] {Duration.ZERO, Duration.ofSeconds(Long.MIN_VALUE),
                    Duration.ofSeconds(Long.MAX_VALUE, 999_999_999), Duration.ofNanos(-1),
                    Duration.ofSeconds(r.nextLong() >> 8, r.nextInt(1_000_000_000))}[r.nextInt(5)];
            case OBJECT -> List.of(r.nextInt(), "o" + r.nextInt(9));
        };
    }

    /** Strings with every kind of UTF-16 content: ASCII, 2-, 3- and 4-byte UTF-8, lone surrogates, NUL. */
    static String string(Random r) {
        String[] pieces = {"", "a", "é", "表", "😀", "\u0000", "\uD800", "\uDC00", "\uDBFF\uDFFF", "ß", "x\uD83D"};
        StringBuilder sb = new StringBuilder();
        int n = r.nextInt(8);
        for (int i = 0; i < n; i++) {
            sb.append(r.nextBoolean() ? pieces[r.nextInt(pieces.length)] : (char) ('a' + r.nextInt(26)));
        }
        return sb.toString();
    }

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (ColumnType t : ColumnType.values()) {
            for (int size : new int[] {0, 1, 63, 64, 65, 1000}) {
                for (long seed : new long[] {1, 2, 3}) {
                    out.add(Arguments.of(t, size, seed));
                }
            }
        }
        return out.stream();
    }

    static List<Object> values(ColumnType t, int size, long seed) {
        Random r = new Random(seed);
        double nulls = new double[] {0, 0.3, 1}[(int) (seed % 3)];
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            out.add(r.nextDouble() < nulls ? null : value(t, r));
        }
        return out;
    }

    /**
     * Seeded values of every type, with 0%, 30% and 100% nulls, appended boxed into a builder that starts at one
     * row (so it grows), and through the typed appenders: both read back equal, boxed and typed.
     */
    @ParameterizedTest(name = "[{index}] {0} x {1}, seed {2}")
    @MethodSource("cases")
    void valuesReadBackAsAppended(ColumnType t, int size, long seed) {
        List<Object> want = values(t, size, seed);
        ColumnVector.Builder boxed = ColumnVector.builder(t, 1);
        ColumnVector.Builder typed = ColumnVector.builder(t, 1);
        for (Object v : want) {
            boxed.append(v);
            appendTyped(typed, t, v);
        }
        assertThat(boxed.size()).isEqualTo(size);
        ColumnVector a = boxed.build();
        ColumnVector b = typed.build();
        assertThat(a).isEqualTo(b);
        assertThat(a.size()).isEqualTo(size);
        assertThat(a.nullCount()).isEqualTo((int) want.stream().filter(v -> v == null).count());
        for (int r = 0; r < size; r++) {
            Object v = want.get(r);
            assertThat(Frame.valueEquals(a.get(r), v)).as("row " + r + ": " + a.get(r) + " vs " + v).isTrue();
            assertThat(a.isNull(r)).isEqualTo(v == null);
            assertThat(Frame.valueEquals(typedGet(a, t, r), v)).as("typed row " + r).isTrue();
        }
    }

    /**
     * {@code appendFrom} copies seeded slices (with 0%, 30% and 100% nulls, at offsets that straddle the bitmaps'
     * 64-row words) onto a builder that already holds values (null or not) and starts at one row: the result
     * equals appending the same values boxed, row by row, and the null count adds up.
     */
    @ParameterizedTest(name = "[{index}] {0} x {1}, seed {2}")
    @MethodSource("cases")
    void appendFromCopiesSlicesAsAppendingTheirValues(ColumnType t, int size, long seed) {
        List<Object> src = values(t, size, seed);
        ColumnVector.Builder all = ColumnVector.builder(t, size);
        src.forEach(all::append);
        ColumnVector from = all.build();
        Random r = new Random(seed * 31);
        List<Object> prefix = values(t, r.nextInt(70), seed + 1);
        ColumnVector.Builder copied = ColumnVector.builder(t, 1);
        ColumnVector.Builder boxed = ColumnVector.builder(t, 1);
        prefix.forEach(copied::append);
        prefix.forEach(boxed::append);
        for (int k = 0; k < 4; k++) {
            int a = size == 0 ? 0 : r.nextInt(size + 1);
            int b = a + (size == a ? 0 : r.nextInt(size - a + 1));
            copied.appendFrom(from, a, b);
            for (int i = a; i < b; i++) {
                boxed.append(from.get(i));
            }
        }
        ColumnVector got = copied.build();
        ColumnVector want = boxed.build();
        assertThat(got).isEqualTo(want);
        assertThat(got.nullCount()).isEqualTo(want.nullCount());
        for (int i = 0; i < got.size(); i++) {
            assertThat(got.isNull(i)).as("row " + i).isEqualTo(want.isNull(i));
        }
        assertThatThrownBy(() -> ColumnVector.builder(t == ColumnType.LONG ? ColumnType.DOUBLE : ColumnType.LONG, 1)
                .appendFrom(ColumnVector.of(t), 0, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    private static void appendTyped(ColumnVector.Builder b, ColumnType t, Object v) {
        if (v == null) {
            b.appendNull();
            return;
        }
        switch (t) {
            case LONG -> b.appendLong((Long) v);
            case DOUBLE -> b.appendDouble((Double) v);
            case BOOLEAN -> b.appendBoolean((Boolean) v);
            case STRING, ARTIFACT -> {
                String s = (String) v;
                if (s.chars().allMatch(c -> c < 0x80)) {
                    assertThat(b.appendAscii(s.getBytes(StandardCharsets.US_ASCII), 0, s.length())).isTrue();
                } else {
                    b.appendChars(s.toCharArray(), 0, s.length());
                }
            }
            case BYTES -> b.appendBytes((byte[]) v);
            case TIMESTAMP -> b.appendTimestamp(((Instant) v).getEpochSecond(), ((Instant) v).getNano());
            case DURATION -> b.appendDuration(((Duration) v).getSeconds(), ((Duration) v).getNano());
            case OBJECT -> b.append(v);
        }
    }

    private static Object typedGet(ColumnVector v, ColumnType t, int r) {
        if (v.isNull(r)) {
            return null;
        }
        return switch (t) {
            case LONG -> v.getLong(r);
            case DOUBLE -> v.getDouble(r);
            case BOOLEAN -> v.getBoolean(r);
            case STRING, ARTIFACT -> v.getString(r);
            case BYTES -> v.getBytes(r);
            case TIMESTAMP -> Instant.ofEpochSecond(v.getSeconds(r), v.getNanos(r));
            case DURATION -> Duration.ofSeconds(v.getSeconds(r), v.getNanos(r));
            case OBJECT -> v.getObject(r);
        };
    }

    @Test
    void appendAsciiRefusesOtherBytesAndAppendsNothing() {
        ColumnVector.Builder b = ColumnVector.builder(ColumnType.STRING, 2);
        assertThat(b.appendAscii(new byte[] {'a', (byte) 0xC3, (byte) 0xA9}, 0, 3)).isFalse();
        b.appendNull();
        assertThat(b.appendAscii(new byte[] {'x', 'y', 'z'}, 1, 2)).isTrue();
        ColumnVector v = b.build();
        assertThat(v.size()).isEqualTo(2);
        assertThat(v.isNull(0)).isTrue();
        assertThat(v.getString(1)).isEqualTo("yz");
    }

    @Test
    void stringsAreUtf8WithLoneSurrogatesAsTheirOwnSequences() {
        ColumnVector v = ColumnVector.of(ColumnType.STRING, "é😀", "\uD800");
        ByteBuffer bytes = v.valueBytes();
        byte[] all = new byte[bytes.remaining()];
        bytes.get(all);
        assertThat(Arrays.copyOfRange(all, v.valueOffset(0), v.valueOffset(1)))
                .isEqualTo("é😀".getBytes(StandardCharsets.UTF_8));
        assertThat(Arrays.copyOfRange(all, v.valueOffset(1), v.valueOffset(2)))
                .isEqualTo(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80});
        assertThat(v.getString(1)).isEqualTo("\uD800");
        assertThat(v.valueBytes().isReadOnly()).isTrue();
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @EnumSource(ColumnType.class)
    void emptyAndAllNullVectors(ColumnType t) {
        ColumnVector empty = ColumnVector.builder(t, 0).build();
        assertThat(empty.size()).isZero();
        assertThat(empty).isEqualTo(ColumnVector.builder(t, 100).build());
        ColumnVector nulls = ColumnVector.builder(t, 0).appendNulls(70).build();
        assertThat(nulls.nullCount()).isEqualTo(70);
        assertThat(nulls.get(69)).isNull();
        assertThatThrownBy(() -> nulls.isNull(70)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void typedGettersAndAppendersRefuseOtherTypes() {
        ColumnVector v = ColumnVector.of(ColumnType.LONG, 1L);
        assertThatThrownBy(() -> v.getString(0)).isInstanceOf(IllegalStateException.class).hasMessageContaining("LONG");
        assertThatThrownBy(() -> v.getDouble(0)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> v.valueBytes()).isInstanceOf(IllegalStateException.class);
        ColumnVector.Builder b = ColumnVector.builder(ColumnType.DOUBLE, 1);
        assertThatThrownBy(() -> b.appendLong(1)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> b.append(1L)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("java.lang.Long");
        assertThatThrownBy(() -> ColumnVector.builder(ColumnType.DURATION, 1).appendDuration(0, 1_000_000_000))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ColumnVector.builder(ColumnType.TIMESTAMP, 1)
                .appendTimestamp(Instant.MAX.getEpochSecond() + 1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(b.size()).isZero();
    }

    @Test
    void aBuiltBuilderRefusesMore() {
        ColumnVector.Builder b = ColumnVector.builder(ColumnType.LONG, 1).appendLong(1);
        b.build();
        assertThatThrownBy(() -> b.appendLong(2)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(b::build).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void bytesAreCopiedInAndOut() {
        byte[] in = {1, 2};
        ColumnVector v = ColumnVector.of(ColumnType.BYTES, (Object) in);
        in[0] = 9;
        byte[] out = v.getBytes(0);
        out[1] = 9;
        assertThat(v.getBytes(0)).containsExactly(1, 2);
    }

    @Test
    void equalityComparesValuesAsFrameValueEquals() {
        assertThat(ColumnVector.of(ColumnType.DOUBLE, Double.NaN)).isEqualTo(ColumnVector.of(ColumnType.DOUBLE, Double.NaN));
        assertThat(ColumnVector.of(ColumnType.DOUBLE, 0.0)).isNotEqualTo(ColumnVector.of(ColumnType.DOUBLE, -0.0));
        assertThat(ColumnVector.of(ColumnType.STRING, "a", null)).isNotEqualTo(ColumnVector.of(ColumnType.STRING, "a", ""));
        assertThat(ColumnVector.of(ColumnType.STRING, "a")).isNotEqualTo(ColumnVector.of(ColumnType.ARTIFACT, "a"));
        assertThat(ColumnVector.of(ColumnType.OBJECT, (Object) new int[] {1}))
                .isEqualTo(ColumnVector.of(ColumnType.OBJECT, (Object) new int[] {1}));
    }
}
