package dev.tablevault.engine;

import com.esotericsoftware.kryo.io.Output;
import dev.tablevault.api.Column;
import dev.tablevault.api.ColumnType;
import dev.tablevault.api.ColumnVector;
import dev.tablevault.api.Durability;
import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.Frame;
import dev.tablevault.api.InstanceOptions;
import dev.tablevault.api.LockMode;
import dev.tablevault.api.ProcessState;
import dev.tablevault.api.ReadOptions;
import dev.tablevault.api.TableOptions;
import dev.tablevault.api.TvStorageException;
import dev.tablevault.api.Vault;
import dev.tablevault.api.VaultOptions;
import dev.tablevault.api.WriteOptions;
import dev.tablevault.engine.codec.Codec;
import dev.tablevault.engine.codec.Records;
import dev.tablevault.engine.codec.Records.BuilderRecord;
import dev.tablevault.engine.codec.Records.InstanceRecord;
import dev.tablevault.engine.codec.Records.LockRecord;
import dev.tablevault.engine.codec.Records.LogEntry;
import dev.tablevault.engine.codec.Records.ProcessRecord;
import dev.tablevault.engine.codec.Records.TableRecord;
import dev.tablevault.engine.codec.Records.VaultRecord;
import dev.tablevault.engine.codec.Records.WriteProgress;
import dev.tablevault.engine.store.Chunks;
import dev.tablevault.engine.store.Family;
import dev.tablevault.engine.store.Keys;
import dev.tablevault.engine.store.rocks.RocksBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.fail;

/**
 * The persisted encodings: every record type round-trips through {@link Codec}; unknown format tags and newer
 * vault formats are {@code UNSUPPORTED_FORMAT}; garbage is {@code CORRUPTION}, never a silent misread or an
 * unchecked JVM error; cell chunks round-trip for every column type with nulls anywhere and at chunk
 * boundaries.
 */
class CodecTest {
    @TempDir
    Path tmp;

    // ---- records --------------------------------------------------------------------------------------------

    static List<Column> everyColumnType() {
        List<Column> cols = new ArrayList<>();
        for (ColumnType t : ColumnType.values()) {
            cols.add(new Column("c_" + t.name().toLowerCase(), t));
        }
        return cols;
    }

    static Stream<Arguments> records() {
        List<Object> args = List.of(
                new Records.CreateTableArgs("stories", true, false, "desc ünï 表"),
                new Records.CreateTableArgs("t", false, true, ""),
                new Records.RenameTableArgs("a", "b"),
                new Records.DeleteTableArgs("a"),
                new Records.CreateInstanceArgs("t", "base", null, null, false, false, ""),
                new Records.CreateInstanceArgs("t", "v2", "base_1_0000abcd", "u", true, true, "d"),
                new Records.DeleteInstanceArgs("t", "TEMP_base"),
                new Records.PutBuilderArgs("t", "base", "t_index", "YAML", "name: t_index\ntype: index\n"),
                new Records.DeleteBuilderArgs("t", "base", "title"),
                new Records.WriteInstanceArgs("t", "base", "ab".repeat(32), everyColumnType(), 1_000_000L),
                new Records.WriteInstanceArgs("t", "base", "", List.of(), 0),
                new Records.StopArgs("p-1", true, false),
                new Records.StopArgs("p-2", false, true),
                new Records.ExecuteArgs("t", "base", 4096, 1000L, false),
                new Records.ExecuteArgs("t", "v2", Integer.MAX_VALUE, Long.MAX_VALUE, true));
        List<Object> all = new ArrayList<>(args);
        all.add(new VaultRecord(1, 1_700_000_000_000L, "jinjin"));
        all.add(new VaultRecord(Integer.MAX_VALUE, Long.MIN_VALUE, null));
        all.add(new TableRecord("stories", "d", true, false, 5L, null));
        all.add(new TableRecord("stories", "", false, true, Long.MAX_VALUE, "base_1_0000abcd"));
        all.add(new InstanceRecord("t", "TEMP_base", "base", true, true, null, null, "", List.of(), List.of(), 0,
                true, true, 0, 0, "p", 0, List.of(), List.of(), List.of(), List.of()));
        all.add(new InstanceRecord("t", "base_5_0000abcd", "base", false, false, "u", "base_1_deadbeef", "desc",
                everyColumnType(), List.of("c_long", "c_string"), 123_456_789_012L, false, false, -1L,
                Long.MAX_VALUE, "3f0c1b7e-uuid", Long.MAX_VALUE, List.of(new Records.DepRecord("u", "v2",
                "v2_1_00000002")), List.of(7L, Long.MAX_VALUE), List.of(0, 3), List.of(1L, 2L)));
        all.add(new BuilderRecord("title", "JSON", "{\"name\": \"title\"}"));
        all.add(new BuilderRecord("", "YAML", ""));
        for (ProcessState s : ProcessState.values()) {
            all.add(new ProcessRecord("pid-" + s, "createTable", s, "author", s.isFinal() ? null : "parent-1",
                    1L, 2L, s == ProcessState.PAUSED ? "java.io.IOException: boom" : null, 7L, 2, "ff".repeat(32),
                    12345L, s == ProcessState.RUNNING ? 0L : 1_700_000_000_123L, s.ordinal() % 2 == 0,
                    s.ordinal() % 3 == 0));
        }
        for (LockMode m : LockMode.values()) {
            all.add(new LockRecord("instance:t/TEMP_base", m, "pid-" + m));
        }
        all.add(new WriteProgress(42L, "base_1_0000abcd", 99L, 16_384L));
        all.add(new Records.ExecProgress(7L, "base_1_0000abcd", 5L, List.of(new BuilderRecord("t_index", "YAML",
                "name: t_index\n")), List.of(new Records.DepRecord("orders", "", "v_1_0000abcd"),
                new Records.DepRecord("users", "v2", "v2_9_00000001")), "t", "base_0_00000001", List.of("a", "b"), 1,
                1_000_000L, 999_000L, 512L, 4096L, List.of(4098L, 5000L, Long.MAX_VALUE)));
        all.add(new Records.DepRecord("t", "", "v_1_00000000"));
        all.add(new Records.ArtifactSums(List.of("img/0.png", "ünï/表.txt"), List.of(0L, Long.MAX_VALUE),
                List.of(0, Integer.MIN_VALUE)));
        all.add(new Records.ArtifactSums(List.of(), List.of(), List.of()));
        all.add(new Records.TrimRecord(17, 1_700_000_000_000L, "h\u0000\u00ff\u0001p-1", 10_000, -1));
        all.add(new Records.ExecProgress(0L, "v_1_00000000", 0L, List.of(), List.of(), null, null, List.of(), 0, -1L,
                0L, 0L, 0L, List.of()));
        long seq = 0;
        for (Object a : args) {
            all.add(new LogEntry(seq++, "BEGIN", "op", 10L, a));
        }
        all.add(new LogEntry(seq++, "LOCKS", "createTable", 11L, new ArrayList<>(List.of(
                new LockRecord("table:t", LockMode.EXCLUSIVE, "p"), new LockRecord("artifacts:t", LockMode.SHARED,
                        "p")))));
        all.add(new LogEntry(seq++, "CHECKPOINT", "stage", 12L, new WriteProgress(1L, "x_1_00000000", 2L, 3L)));
        all.add(new LogEntry(seq++, "END", "COMMITTED", 13L, ""));
        all.add(new LogEntry(seq, "END", "REVERTED", 14L, null));
        return all.stream().map(r -> Arguments.of(r.getClass().getSimpleName(), r));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("records")
    void everyRecordRoundTrips(String kind, Object record) {
        byte[] bytes = Codec.encode(record);
        assertThat(bytes[0]).isEqualTo(Codec.TAG);
        Object back = Codec.decode(bytes, record.getClass(), kind);
        assertThat(back).isEqualTo(record).isNotSameAs(record);
        assertThat(Codec.encode(back)).isEqualTo(bytes);
    }

    @Test
    void everyRegisteredRecordTypeIsCovered() {
        List<String> covered = records().map(a -> a.get()[1].getClass().getName()).distinct().toList();
        List<String> declared = Arrays.stream(Records.class.getDeclaredClasses()).filter(Class::isRecord)
                .map(Class::getName).toList();
        assertThat(declared).hasSize(22);
        assertThat(covered).containsExactlyInAnyOrderElementsOf(declared);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("records")
    void decodingAsTheWrongTypeIsCorruption(String kind, Object record) {
        Class<?> other = record instanceof VaultRecord ? TableRecord.class : VaultRecord.class;
        storageError(ErrorCode.CORRUPTION, "expected " + other.getSimpleName(),
                () -> Codec.decode(Codec.encode(record), other, kind));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("records")
    void unknownFormatTagIsUnsupportedFormat(String kind, Object record) {
        for (byte tag : new byte[]{2, 3, 99}) {
            byte[] bytes = Codec.encode(record);
            bytes[0] = tag;
            storageError(ErrorCode.UNSUPPORTED_FORMAT, "tag " + tag, () -> Codec.decode(bytes, record.getClass(), kind));
        }
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("records")
    void everyTruncationIsCorruption(String kind, Object record) {
        byte[] bytes = Codec.encode(record);
        for (int len = 0; len < bytes.length; len++) {
            byte[] cut = Arrays.copyOf(bytes, len);
            storageError(ErrorCode.CORRUPTION, kind, () -> Codec.decode(cut, record.getClass(), kind));
        }
    }

    @Test
    void nullAndEmptyAreCorruption() {
        storageError(ErrorCode.CORRUPTION, "vault record", () -> Codec.decode(null, VaultRecord.class, "vault record"));
        storageError(ErrorCode.CORRUPTION, "vault record",
                () -> Codec.decode(new byte[0], VaultRecord.class, "vault record"));
        storageError(ErrorCode.CORRUPTION, "vault record",
                () -> Codec.decode(new byte[]{Codec.TAG}, VaultRecord.class, "vault record"));
    }

    @Test
    void unregisteredClassIdIsCorruption() {
        storageError(ErrorCode.CORRUPTION, "process x",
                () -> Codec.decode(new byte[]{Codec.TAG, 120, 0, 0, 0}, ProcessRecord.class, "process x"));
    }

    /** Garbage found by fuzzing (seed 42): a class-by-name entry whose name length is negative. */
    @Test
    void garbageClassNameWithNegativeLengthIsCorruption() {
        storageError(ErrorCode.CORRUPTION, "process x", () -> Codec.decode(
                new byte[]{1, 1, 71, -59, -110, -26, -58, -79, -83}, ProcessRecord.class, "process x"));
    }

    /** Garbage found by fuzzing (seed 42): a class-by-name entry that reads as a null name. */
    @Test
    void garbageClassNameReadingAsNullIsCorruption() {
        storageError(ErrorCode.CORRUPTION, "process x", () -> Codec.decode(
                new byte[]{1, 1, 108, -128, 66, -14, 78, -34, -19, 58, -37, -29, 54, -91, -9}, ProcessRecord.class,
                "process x"));
    }

    /** A corrupt list length must not make the decoder allocate an array of that length. */
    @Test
    void garbageListLengthIsCorruptionNotOutOfMemory() {
        Output o = new Output(16, -1);
        o.writeByte(Codec.TAG);
        o.writeVarInt(20 + 2, true); // ArrayList's registered id
        o.writeVarIntFlag(true, Integer.MAX_VALUE, true);
        byte[] bytes = o.toBytes();
        storageError(ErrorCode.CORRUPTION, "log of p", () -> Codec.decode(bytes, LogEntry.class, "log of p"));
    }

    /**
     * Seeded random garbage of 7-bit bytes (so every length it claims is small): each value decodes to the asked
     * type or is CORRUPTION, never anything else.
     */
    @ParameterizedTest(name = "[{index}] seed {0}")
    @ValueSource(longs = {42, 1, 2, 3})
    void randomSmallGarbageIsCorruptionOrAValidRecord(long seed) {
        Random r = new Random(seed);
        List<String> escaped = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            byte[] g = new byte[1 + r.nextInt(40)];
            r.nextBytes(g);
            for (int j = 0; j < g.length; j++) {
                g[j] &= 0x7f;
            }
            g[0] = Codec.TAG;
            String outcome = Fuzz.decodeOutcome(g);
            if (outcome != null) {
                escaped.add(outcome);
            }
        }
        assertThat(escaped).as("garbage that did not end in CORRUPTION").isEmpty();
    }

    /**
     * Seeded random garbage over all byte values. It may claim lengths of gigabytes, so it runs in a child JVM
     * with a 64 MB heap: this JVM's heap stays untouched, and an allocation sized by a corrupt length shows up as
     * an OutOfMemoryError there whatever this machine's memory.
     */
    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"records", "chunks"})
    void randomGarbageIsCorruptionOrAValidValueInABoundedJvm(String what) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx64m");
        for (String a : java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("--add-") || a.startsWith("--enable-native-access")) {
                cmd.add(a);
            }
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Fuzz.class.getName());
        cmd.add(what);
        cmd.add("42");
        cmd.add("20000");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor(5, java.util.concurrent.TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).as("the fuzz must have run").contains("ESCAPED ");
        assertThat(out.lines().filter(l -> !l.startsWith("ESCAPED 0 ")).toList())
                .as("garbage that did not end in CORRUPTION").isEmpty();
    }

    /** The fuzz body; its main runs in the child JVM. */
    static final class Fuzz {
        private Fuzz() {
        }

        /** Null when {@code g} decodes as a ProcessRecord or is CORRUPTION; else what escaped. */
        static String decodeOutcome(byte[] g) {
            try {
                Codec.decode(g, ProcessRecord.class, "garbage");
                return null;
            } catch (TvStorageException e) {
                return e.code() == ErrorCode.CORRUPTION ? null : "record " + Arrays.toString(g) + " -> " + e.code();
            } catch (Throwable t) {
                return "record " + Arrays.toString(g) + " -> " + t;
            }
        }

        /**
         * Null when {@code g} is CORRUPTION on both the boxed and the typed path, or decodes as a chunk of
         * {@code type} to the same values on both; else what escaped or differed.
         */
        static String chunkOutcome(ColumnType type, byte[] g) {
            List<Object> boxed = new ArrayList<>();
            String b = chunkOutcome(type, g, () -> Chunks.decode(type, g, boxed));
            ColumnVector.Builder into = ColumnVector.builder(type, 16);
            String t = chunkOutcome(type, g, () -> Chunks.decode(type, g, 0, g.length, into, Integer.MAX_VALUE));
            if (!b.equals(t)) {
                return "chunk " + type + " " + Arrays.toString(g) + ": boxed " + b + ", typed " + t;
            }
            if (!b.equals("ok")) {
                return b.equals("corruption") ? null : b;
            }
            ColumnVector typed = into.build();
            boolean same = typed.size() == boxed.size();
            for (int i = 0; same && i < boxed.size(); i++) {
                same = Frame.valueEquals(typed.get(i), boxed.get(i));
            }
            return same ? null : "chunk " + type + " " + Arrays.toString(g) + " decodes as " + boxed + " boxed, "
                    + typed + " typed";
        }

        /** "ok", "corruption" or what escaped. */
        private static String chunkOutcome(ColumnType type, byte[] g, Runnable decode) {
            try {
                decode.run();
                return "ok";
            } catch (TvStorageException e) {
                return e.code() == ErrorCode.CORRUPTION ? "corruption" : "chunk " + type + " " + Arrays.toString(g)
                        + " -> " + e.code();
            } catch (Throwable t) {
                return "chunk " + type + " " + Arrays.toString(g) + " -> " + t;
            }
        }

        /** Args: {@code records|chunks seed count}. Prints up to 10 escapes, then {@code ESCAPED <n> of <count>}. */
        public static void main(String[] args) {
            boolean records = args[0].equals("records");
            Random r = new Random(Long.parseLong(args[1]));
            int count = Integer.parseInt(args[2]);
            int escaped = 0;
            for (int i = 0; i < count; i++) {
                byte[] g = new byte[1 + r.nextInt(40)];
                r.nextBytes(g);
                g[0] = 1;
                String o = records ? decodeOutcome(g)
                        : chunkOutcome(ColumnType.values()[i % ColumnType.values().length], g);
                if (o != null && ++escaped <= 10) {
                    System.out.println("ESCAPE " + o);
                }
            }
            System.out.println("ESCAPED " + escaped + " of " + count);
        }
    }

    private static TvStorageException storageError(ErrorCode code, String inMessage, Runnable call) {
        Throwable t = catchThrowable(call::run);
        assertThat(t).isExactlyInstanceOf(TvStorageException.class);
        TvStorageException e = (TvStorageException) t;
        assertThat(e.code()).as(e.getMessage()).isEqualTo(code);
        assertThat(e.getMessage()).contains(inMessage);
        return e;
    }

    // ---- cell chunks ----------------------------------------------------------------------------------------

    static Object randomValue(ColumnType type, Random r) {
        return switch (type) {
            case LONG -> switch (r.nextInt(5)) {
                case 0 -> Long.MIN_VALUE;
                case 1 -> Long.MAX_VALUE;
                case 2 -> 0L;
                default -> r.nextLong() >> r.nextInt(64);
            };
            case DOUBLE -> switch (r.nextInt(8)) {
                case 0 -> Double.NaN;
                case 1 -> -0.0;
                case 2 -> Double.NEGATIVE_INFINITY;
                case 3 -> Double.MIN_VALUE;
                default -> r.nextGaussian() * Math.pow(10, r.nextInt(40) - 20);
            };
            case BOOLEAN -> r.nextBoolean();
            case STRING, ARTIFACT -> randomString(r);
            case BYTES -> {
                byte[] b = new byte[r.nextInt(4) == 0 ? 0 : r.nextInt(300)];
                r.nextBytes(b);
                yield b;
            }
            case TIMESTAMP -> switch (r.nextInt(5)) {
                case 0 -> Instant.MIN;
                case 1 -> Instant.MAX;
                case 2 -> Instant.EPOCH;
                default -> Instant.ofEpochSecond(r.nextInt() * 10L, r.nextInt(1_000_000_000));
            };
            case DURATION -> switch (r.nextInt(4)) {
                case 0 -> Duration.ZERO;
                case 1 -> Duration.ofSeconds(Long.MIN_VALUE);
                case 2 -> Duration.ofSeconds(Long.MAX_VALUE, 999_999_999);
                default -> Duration.ofSeconds(r.nextLong() >> 20, r.nextInt(1_000_000_000));
            };
            case OBJECT -> RandomObjects.value(r);
        };
    }

    static String randomString(Random r) {
        String[] pieces = {"", "a", "é", "表", "😀", "\u0000", "\n", "ascii text ", "\uD800", "ß"};
        StringBuilder sb = new StringBuilder();
        int n = r.nextInt(5) == 0 ? 0 : r.nextInt(12);
        for (int i = 0; i < n; i++) {
            sb.append(r.nextInt(3) == 0 ? pieces[r.nextInt(pieces.length)] : (char) ('a' + r.nextInt(26)));
        }
        return sb.toString();
    }

    static List<Object> randomColumn(ColumnType type, int size, long seed) {
        Random r = new Random(seed);
        double nullRate = new double[]{0.0, 0.1, 0.5, 1.0}[(int) (seed % 4)];
        List<Object> values = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            values.add(r.nextDouble() < nullRate ? null : randomValue(type, r));
        }
        return values;
    }

    static Stream<Arguments> chunkCases() {
        List<Arguments> out = new ArrayList<>();
        for (ColumnType t : ColumnType.values()) {
            for (int size : new int[]{0, 1, 7, 8, 9, 1023, 1024, 1025}) {
                for (long seed : new long[]{1, 2, 3, 4}) {
                    out.add(Arguments.of(t, size, seed));
                }
            }
        }
        return out.stream();
    }

    private static void assertSameValues(List<Object> actual, List<Object> expected) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            Object a = actual.get(i);
            Object e = expected.get(i);
            if (!Frame.valueEquals(a, e)) {
                fail("value " + i + ": expected " + render(e) + " but was " + render(a));
            }
        }
    }

    /** A value for a failure message: byte arrays as lists, strings as their UTF-16 code units. */
    private static String render(Object v) {
        if (v instanceof byte[] b) {
            return Arrays.toString(b);
        }
        if (v instanceof String str) {
            return str.chars().mapToObj(c -> String.format("%04x", c)).toList().toString();
        }
        return String.valueOf(v);
    }

    @ParameterizedTest(name = "[{index}] {0} x {1}, seed {2}")
    @MethodSource("chunkCases")
    void chunkRoundTrips(ColumnType type, int size, long seed) {
        List<Object> values = randomColumn(type, size, seed);
        List<Object> back = new ArrayList<>();
        Chunks.decode(type, Chunks.encode(type, values, 0, size), back);
        assertSameValues(back, values);

        // A slice in the middle of a longer list, appended after what the list already holds.
        List<Object> padded = new ArrayList<>(randomColumn(type, 5, seed + 100));
        padded.addAll(values);
        padded.addAll(randomColumn(type, 3, seed + 200));
        List<Object> into = new ArrayList<>(List.of("already there"));
        Chunks.decode(type, Chunks.encode(type, padded, 5, 5 + size), into);
        assertThat(into.get(0)).isEqualTo("already there");
        assertSameValues(into.subList(1, into.size()), values);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @org.junit.jupiter.params.provider.EnumSource(ColumnType.class)
    void columnSplitIntoChunksReassembles(ColumnType type) {
        List<Object> values = randomColumn(type, 3 * Chunks.ROWS + 17, 2);
        List<Object> back = new ArrayList<>();
        for (int from = 0; from < values.size(); from += Chunks.ROWS) {
            Chunks.decode(type, Chunks.encode(type, values, from, Math.min(values.size(), from + Chunks.ROWS)), back);
        }
        assertSameValues(back, values);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @org.junit.jupiter.params.provider.EnumSource(ColumnType.class)
    void everyChunkTruncationIsCorruption(ColumnType type) {
        List<Object> values = randomColumn(type, 40, 1);
        values.set(39, randomValue(type, new Random(7)));
        byte[] bytes = Chunks.encode(type, values, 0, values.size());
        for (int len = 0; len < bytes.length; len++) {
            byte[] cut = Arrays.copyOf(bytes, len);
            storageError(ErrorCode.CORRUPTION, "chunk", () -> Chunks.decode(type, cut, new ArrayList<>()));
        }
    }

    /** A chunk written by a newer encoding (tag 2) is an unsupported format, as for records. */
    @Test
    void chunkWithUnknownFormatTagIsUnsupportedFormat() {
        byte[] bytes = Chunks.encode(ColumnType.LONG, List.of(1L, 2L), 0, 2);
        bytes[0] = 2;
        storageError(ErrorCode.UNSUPPORTED_FORMAT, "2", () -> Chunks.decode(ColumnType.LONG, bytes, new ArrayList<>()));
    }

    @Test
    void emptyChunkIsCorruption() {
        storageError(ErrorCode.CORRUPTION, "chunk", () -> Chunks.decode(ColumnType.LONG, new byte[0], new ArrayList<>()));
    }

    /** A corrupt byte-array or string length must not make the decoder allocate that much. */
    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"BYTES", "STRING"})
    void garbageValueLengthInAChunkIsCorruptionNotOutOfMemory(ColumnType type) {
        Output o = new Output(16, -1);
        o.writeByte(1);
        o.writeVarInt(1, true);
        o.writeByte(0); // no nulls
        if (type == ColumnType.BYTES) {
            o.writeVarInt(Integer.MAX_VALUE, true);
        } else {
            o.writeVarIntFlag(true, Integer.MAX_VALUE, true); // a UTF-8 string of 2^31-2 chars
        }
        byte[] bytes = o.toBytes();
        storageError(ErrorCode.CORRUPTION, "chunk", () -> Chunks.decode(type, bytes, new ArrayList<>()));
    }

    // ---- vault format -----------------------------------------------------------------------------------------

    private static void rawPut(Path vault, byte[] key, byte[] value) {
        try (RocksBackend s = RocksBackend.open(vault.resolve("db"), false, false, Durability.SYNC, 10, "test");
             WriteBatch b = new WriteBatch()) {
            if (value == null) {
                b.delete(s.handle(Family.META), key);
            } else {
                b.put(s.handle(Family.META), key, value);
            }
            s.write(b);
        } catch (RocksDBException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] rawGet(Path vault, byte[] key) {
        try (RocksBackend s = RocksBackend.open(vault.resolve("db"), false, false, Durability.SYNC, 10, "test")) {
            return s.get(Family.META, key);
        }
    }

    private Path vaultWithATable() {
        Path dir = tmp.resolve("v");
        try (Vault v = TableVault.open(dir, VaultOptions.defaults().create(true))) {
            v.createTable("t", TableOptions.defaults());
            v.createInstance("t", InstanceOptions.defaults().externalEdit(true));
            v.writeInstance("t", Frame.builder().column("id", ColumnType.LONG).row(1L).row(2L).build(),
                    WriteOptions.defaults());
        }
        return dir;
    }

    private static TvStorageException openFails(Path dir, VaultOptions o, ErrorCode code, String inMessage) {
        Throwable t = catchThrowable(() -> TableVault.open(dir, o).close());
        assertThat(t).isExactlyInstanceOf(TvStorageException.class);
        TvStorageException e = (TvStorageException) t;
        assertThat(e.code()).as(e.getMessage()).isEqualTo(code);
        assertThat(e.getMessage()).contains(inMessage);
        return e;
    }

    @Test
    void vaultWithAnotherFormatVersionIsRefusedAndLeftAsItWas() {
        Path dir = vaultWithATable();
        byte[] original = rawGet(dir, Keys.vault());
        VaultRecord rec = Codec.decode(original, VaultRecord.class, "vault record");
        assertThat(rec.formatVersion()).isEqualTo(TableVault.FORMAT_VERSION);
        byte[] newer = Codec.encode(new VaultRecord(99, rec.created(), rec.createdBy()));
        rawPut(dir, Keys.vault(), newer);

        openFails(dir, VaultOptions.defaults(), ErrorCode.UNSUPPORTED_FORMAT, "99");
        openFails(dir, VaultOptions.defaults().restart(true), ErrorCode.UNSUPPORTED_FORMAT, "99");
        openFails(dir, VaultOptions.defaults().readOnly(true), ErrorCode.UNSUPPORTED_FORMAT, "99");
        // The failed opens released the database and did not touch the record.
        assertThat(rawGet(dir, Keys.vault())).isEqualTo(newer);

        byte[] older = Codec.encode(new VaultRecord(TableVault.FORMAT_VERSION - 1, rec.created(), rec.createdBy()));
        rawPut(dir, Keys.vault(), older);
        openFails(dir, VaultOptions.defaults(), ErrorCode.UNSUPPORTED_FORMAT,
                "format version " + (TableVault.FORMAT_VERSION - 1));
        openFails(dir, VaultOptions.defaults().readOnly(true), ErrorCode.UNSUPPORTED_FORMAT, "no migration");

        rawPut(dir, Keys.vault(), original);
        try (Vault v = TableVault.open(dir, VaultOptions.defaults())) {
            assertThat(v.tables()).containsExactly("t");
            assertThat(v.dataframe("t", ReadOptions.latest()).column("id")).containsExactly(1L, 2L);
        }
    }

    @Test
    void vaultRecordWithAnUnknownTagIsUnsupportedFormat() {
        Path dir = vaultWithATable();
        byte[] bytes = rawGet(dir, Keys.vault());
        bytes[0] = 2;
        rawPut(dir, Keys.vault(), bytes);
        openFails(dir, VaultOptions.defaults(), ErrorCode.UNSUPPORTED_FORMAT, "2");
    }

    @Test
    void garbageOrMissingVaultRecordIsCorruption() {
        Path dir = vaultWithATable();
        rawPut(dir, Keys.vault(), new byte[]{1, 120, 3, 4});
        openFails(dir, VaultOptions.defaults(), ErrorCode.CORRUPTION, "vault record");
        rawPut(dir, Keys.vault(), null);
        openFails(dir, VaultOptions.defaults(), ErrorCode.CORRUPTION, dir.toString());
    }

    @Test
    void corruptTableRecordIsATypedErrorOnRead() {
        Path dir = vaultWithATable();
        rawPut(dir, Keys.table("t"), new byte[]{1, 120});
        try (Vault v = TableVault.open(dir, VaultOptions.defaults())) {
            assertThat(v.tables()).containsExactly("t");
            storageError(ErrorCode.CORRUPTION, "t", () -> v.description("t"));
            storageError(ErrorCode.CORRUPTION, "t", () -> v.dataframe("t", ReadOptions.latest()));
        }
    }

    @Test
    void corruptCellIsATypedErrorOnRead() {
        Path dir = vaultWithATable();
        byte[][] cell = new byte[1][];
        try (RocksBackend s = RocksBackend.open(dir.resolve("db"), false, false, Durability.SYNC, 10, "test");
             WriteBatch b = new WriteBatch()) {
            s.scan(Family.DATA, new byte[0], (k, v) -> {
                cell[0] = k;
                return false;
            });
            b.put(s.handle(Family.DATA), cell[0], new byte[]{1, 3});
            s.write(b);
        } catch (RocksDBException e) {
            throw new AssertionError(e);
        }
        try (Vault v = TableVault.open(dir, VaultOptions.defaults())) {
            storageError(ErrorCode.CORRUPTION, "chunk", () -> v.dataframe("t", ReadOptions.latest()));
            storageError(ErrorCode.CORRUPTION, "chunk", () -> {
                try (var c = v.rows("t", ReadOptions.latest())) {
                    c.forEachRemaining(row -> { });
                }
            });
        }
    }
}
