package dev.tablevault.engine;

import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import dev.tablevault.api.ColumnType;
import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.Frame;
import dev.tablevault.api.TableVaultException;
import dev.tablevault.api.TvArgumentException;
import dev.tablevault.api.TvStorageException;
import dev.tablevault.engine.store.Chunks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.fail;

/**
 * OBJECT cells through {@link Chunks}: seeded random values (collections, maps, records, a class without a
 * no-arg constructor, arrays, nulls mixed in) read back equal and of the same class, split at chunk
 * boundaries; the encoding is deterministic; values Kryo cannot write or read back are refused naming the
 * column, row and class; a class missing on reading is {@code OBJECT_CLASS}; flipped bytes are
 * {@code CORRUPTION}.
 */
class ObjectChunksTest {
    /** A class that exists while writing; the tests rename it in the bytes to one that does not. */
    record Gone(String what) {
    }

    static Stream<Arguments> seeds() {
        return LongStream.rangeClosed(1, 24).mapToObj(Arguments::of);
    }

    private static List<Object> column(long seed, int size) {
        Random r = new Random(seed);
        double nullRate = new double[]{0.0, 0.2, 0.6}[(int) (seed % 3)];
        List<Object> values = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            values.add(r.nextDouble() < nullRate ? null : RandomObjects.value(r));
        }
        return values;
    }

    @ParameterizedTest(name = "[{index}] seed {0}")
    @MethodSource("seeds")
    void randomValuesRoundTripEqualAndOfTheSameClass(long seed) {
        int size = new Random(seed * 31).nextInt(2 * Chunks.ROWS + 50);
        List<Object> values = column(seed, size);
        List<Object> back = new ArrayList<>();
        for (int from = 0; from < size; from += Chunks.ROWS) {
            int to = Math.min(size, from + Chunks.ROWS);
            Chunks.decode(ColumnType.OBJECT, Chunks.encode(ColumnType.OBJECT, values, from, to), back);
        }
        assertThat(back).hasSameSizeAs(values);
        for (int i = 0; i < size; i++) {
            Object want = values.get(i);
            Object got = back.get(i);
            if (!Frame.valueEquals(want, got)) {
                fail("row " + i + ": wrote " + Arrays.deepToString(new Object[]{want}) + " read "
                        + Arrays.deepToString(new Object[]{got}));
            }
            if (want != null) {
                assertThat(got.getClass()).as("row %d", i).isEqualTo(want.getClass());
            }
        }
    }

    /**
     * Resume compares a frame by the digest of its encoding: the same values, or values built again the same way,
     * encode to the same bytes. (A decoded copy may not: a HashMap comes back with another capacity, so another
     * iteration order.)
     */
    @ParameterizedTest(name = "[{index}] seed {0}")
    @MethodSource("seeds")
    void valuesBuiltTheSameWayEncodeToTheSameBytes(long seed) {
        List<Object> values = column(seed, 300);
        byte[] once = Chunks.encode(ColumnType.OBJECT, values, 0, values.size());
        assertThat(Chunks.encode(ColumnType.OBJECT, values, 0, values.size())).isEqualTo(once);
        List<Object> again = column(seed, 300);
        assertThat(Chunks.encode(ColumnType.OBJECT, again, 0, again.size())).isEqualTo(once);
    }

    static Stream<Arguments> unstorable() {
        List<Object> deep = new ArrayList<>();
        List<Object> at = deep;
        for (int i = 0; i < 2_000; i++) {
            List<Object> next = new ArrayList<>();
            at.add(next);
            at = next;
        }
        Runnable lambda = () -> { };
        return Stream.of(
                Arguments.of("a lambda (its class cannot be found on reading)", (Supplier<Object>) () -> lambda,
                        "read it back"),
                Arguments.of("an unmodifiable view (reading cannot add to it)",
                        (Supplier<Object>) () -> Collections.unmodifiableList(new ArrayList<>(List.of(1))),
                        "read it back"),
                Arguments.of("a JDK class with encapsulated fields", (Supplier<Object>) () -> new File("x"),
                        "cannot write"),
                Arguments.of("lists nested 2,000 deep", (Supplier<Object>) () -> deep, "cannot write"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("unstorable")
    void unstorableValuesAreRefusedNamingColumnRowAndClass(String what, Supplier<Object> value, String why) {
        Object v = value.get();
        assertThat(Chunks.objectProblem(v)).as(what).isPresent().get().asString().contains("Kryo", why);

        List<Object> values = new ArrayList<>(Arrays.asList(null, List.of(1), "fine", v, 5L));
        TvArgumentException e = catchThrowableOfType(
                () -> Chunks.encode(ColumnType.OBJECT, values, 1, values.size(), "payload", 2048),
                TvArgumentException.class);
        assertThat(e).as(what).isNotNull();
        assertThat(e.code()).isEqualTo(ErrorCode.BAD_ARGUMENT);
        assertThat(e.getMessage()).contains("column 'payload'", "row 2050", v.getClass().getName(), "Kryo",
                "STRING or BYTES").doesNotContain("\n");
    }

    @Test
    void storableValuesHaveNoProblem() {
        Random r = new Random(7);
        for (int i = 0; i < 200; i++) {
            Object v = RandomObjects.value(r);
            assertThat(Chunks.objectProblem(v)).as("%s", v).isEmpty();
        }
    }

    /** The stored bytes of one value of class Gone, renamed to a class that does not exist, checksum fixed. */
    private static byte[] chunkOfAMissingClass() {
        byte[] chunk = Chunks.encode(ColumnType.OBJECT, List.of(new Gone("bye")), 0, 1);
        // tag, count, null bitmap, then the value's length, bytes and CRC-32C.
        Input in = new Input(chunk, 3, chunk.length - 3);
        int length = in.readVarInt(true);
        int start = in.position();
        String name = Gone.class.getName();
        byte[] prefix = name.substring(0, name.length() - 1).getBytes(StandardCharsets.US_ASCII);
        int at = indexOf(chunk, prefix);
        assertThat(at).as("the class name is in the bytes").isBetween(start, start + length);
        chunk[at + prefix.length - 3] = 'X'; // ...$Gone -> ...$Xone
        CRC32C crc = new CRC32C();
        crc.update(chunk, start, length);
        Output out = new Output(chunk);
        out.setPosition(start + length);
        out.writeInt((int) crc.getValue());
        return chunk;
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Test
    void aClassMissingOnReadingIsObjectClassNamingIt() {
        byte[] chunk = chunkOfAMissingClass();
        TvStorageException e = catchThrowableOfType(
                () -> Chunks.decode(ColumnType.OBJECT, chunk, new ArrayList<>()), TvStorageException.class);
        assertThat(e.code()).isEqualTo(ErrorCode.OBJECT_CLASS);
        assertThat(e.getMessage()).contains(ObjectChunksTest.class.getName() + "$Xone", "class path");
    }

    /** A flipped byte is CORRUPTION (the checksum catches it before Kryo), or lands in unused bitmap bits. */
    @Test
    void everyFlippedByteIsCorruptionNotAClassError() {
        List<Object> values = List.of(new RandomObjects.Point(1, "p", List.of(2L)));
        byte[] chunk = Chunks.encode(ColumnType.OBJECT, values, 0, 1);
        for (int i = 1; i < chunk.length; i++) {
            byte[] bad = chunk.clone();
            bad[i] ^= 0x5a;
            List<Object> back = new ArrayList<>();
            TableVaultException e = catchThrowableOfType(() -> Chunks.decode(ColumnType.OBJECT, bad, back),
                    TableVaultException.class);
            if (e == null) {
                assertThat(i).as("only the null bitmap has unused bits").isEqualTo(2);
                assertThat(back).isEqualTo(values);
            } else {
                assertThat(e).as("flipped byte %d", i).isInstanceOf(TvStorageException.class);
                assertThat(e.code()).as("flipped byte %d: %s", i, e.getMessage()).isEqualTo(ErrorCode.CORRUPTION);
            }
        }
    }
}
