package dev.tablevault.engine;

import dev.tablevault.api.BuildContext;
import dev.tablevault.api.BuilderSpec;
import dev.tablevault.api.Column;
import dev.tablevault.api.ColumnType;
import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.ExecuteOptions;
import dev.tablevault.api.Frame;
import dev.tablevault.api.FrameBuilder;
import dev.tablevault.api.GeneratorBuilder;
import dev.tablevault.api.InstanceOptions;
import dev.tablevault.api.OpOptions;
import dev.tablevault.api.ReadOptions;
import dev.tablevault.api.TableOptions;
import dev.tablevault.api.TvBuilderException;
import dev.tablevault.api.Vault;
import dev.tablevault.api.VaultOptions;
import dev.tablevault.engine.builtin.Builtins;
import dev.tablevault.engine.builtin.Utf8Reader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The {@code csv} built-in: as index builder whole-column and generator, as column builder, a generator resumed
 * at its first uncommitted row (through the engine, and told {@code firstRow} directly while streaming), header
 * names or positions, delimiters, every column type, and the typed errors for a missing column, file or value
 * that does not parse.
 */
@ParameterizedClass
@EnumSource(TestBackend.class)
class CsvBuilderTest {
    private static final String T = "books";
    private static final FrameBuilder CSV_FRAME = (FrameBuilder) Builtins.get("csv");
    private static final GeneratorBuilder CSV_GENERATOR = (GeneratorBuilder) Builtins.get("csv");

    @Parameter
    TestBackend backend;

    @TempDir
    Path dir;

    /** The application's own failure, from the sink after some rows. */
    static final class Interrupted extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Interrupted(String m) {
            super(m);
        }
    }

    /** The csv generator, failing once after {@code failAfter} rows of a run; records each run's firstRow. */
    static final class Flaky implements GeneratorBuilder {
        final List<Long> firstRows = new ArrayList<>();
        final List<List<Object>> firstValues = new ArrayList<>();
        volatile int failAfter = Integer.MAX_VALUE;

        @Override
        public void generate(BuildContext ctx, long firstRow, RowSink sink) throws Exception {
            firstRows.add(firstRow);
            AtomicInteger n = new AtomicInteger();
            CSV_GENERATOR.generate(ctx, firstRow, values -> {
                if (n.get() == 0) {
                    firstValues.add(values);
                }
                if (n.getAndIncrement() == failAfter) {
                    failAfter = Integer.MAX_VALUE;
                    throw new Interrupted("disk went away after " + (firstRow + n.get() - 1) + " rows");
                }
                sink.accept(values);
            });
        }
    }

    private final Flaky flaky = new Flaky();

    private Vault open() {
        return backend.vault(dir, "v").create(VaultOptions.defaults().author("t")
                .builder("flakyCsv", flaky));
    }

    /** A CSV of {@code rows} books: header {@code title,extra,id,price}, a null price every fifth row. */
    private Path books(int rows) throws IOException {
        StringBuilder sb = new StringBuilder("title,extra,id,price\n");
        for (int i = 0; i < rows; i++) {
            sb.append(i % 3 == 0 ? "\"Book, vol. " + i + "\"" : "Book " + i).append(",x,").append(i).append(',')
                    .append(i % 5 == 4 ? "" : i + 0.5).append('\n');
        }
        Path p = dir.resolve("books.csv");
        Files.writeString(p, sb);
        return p;
    }

    private static Frame expectedBooks(int rows) {
        Frame.Builder b = Frame.builder().column("id", ColumnType.LONG).column("title", ColumnType.STRING)
                .column("price", ColumnType.DOUBLE);
        for (int i = 0; i < rows; i++) {
            b.row((long) i, i % 3 == 0 ? "Book, vol. " + i : "Book " + i, i % 5 == 4 ? null : i + 0.5);
        }
        return b.build();
    }

    private static String quoted(Path p) {
        return "'" + p.toString().replace("'", "''") + "'";
    }

    private static BuilderSpec index(String builder, String mode, Path file) {
        return BuilderSpec.fromYaml("name: books_index\ntype: index\nbuilder: " + builder + "\nmode: " + mode
                + "\nchangedColumns: [id, title, price]\ntypes: {id: long, price: double}\n"
                + "arguments: {path: " + quoted(file) + "}\n");
    }

    private static void setup(Vault v, BuilderSpec... specs) {
        v.createTable(T, TableOptions.defaults());
        v.createInstance(T, InstanceOptions.defaults());
        for (BuilderSpec s : specs) {
            v.putBuilder(T, "base", s, OpOptions.defaults());
        }
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"whole-column", "generator"})
    void loadsAnIndexByHeaderNames(String mode) throws IOException {
        Path file = books(2_600);
        try (Vault v = open()) {
            setup(v, index("csv", mode, file));
            v.executeInstance(T, ExecuteOptions.defaults().checkpointRows(1_000));
            assertThat(v.dataframe(T, ReadOptions.latest())).isEqualTo(expectedBooks(2_600));
        }
    }

    @Test
    void aPausedGeneratorResumesAtItsFirstUncommittedRow() throws IOException {
        Path file = books(3_000);
        flaky.failAfter = 1_234;
        try (Vault v = open()) {
            setup(v, index("flakyCsv", "generator", file));
            String pid = v.generateProcessId();
            ExecuteOptions opts = ExecuteOptions.defaults().processId(pid).checkpointRows(500);
            Interrupted e = catchThrowableOfType(() -> v.executeInstance(T, opts), Interrupted.class);
            assertThat(e).hasMessage("disk went away after 1234 rows");
            assertThat(v.activeProcesses()).containsKey(pid);

            v.executeInstance(T, opts);
            assertThat(flaky.firstRows).as("the rows finished before the failure were committed")
                    .containsExactly(0L, 1_234L);
            assertThat(flaky.firstValues.get(1)).isEqualTo(expectedBooks(3_000).row(1_234));
            assertThat(v.dataframe(T, ReadOptions.latest())).isEqualTo(expectedBooks(3_000));
            assertThat(v.activeProcesses()).isEmpty();
        }
    }

    @Test
    void loadsAColumnAlignedWithTheIndex() throws IOException {
        Path file = dir.resolve("notes.csv");
        Files.writeString(file, "note\nfirst\n\"\"\n\"third, with a comma\"\n");
        try (Vault v = open()) {
            setup(v, BuilderSpec.fromYaml("name: books_index\ntype: index\nbuilder: range\nchangedColumns: [id]\n"
                            + "types: {id: long}\narguments: {count: 3}\n"),
                    BuilderSpec.fromYaml("name: note\ntype: column\nbuilder: csv\nmode: whole-column\n"
                            + "changedColumns: [note]\ndependencies: [books_index]\narguments: {path: "
                            + quoted(file) + "}\n"));
            v.executeInstance(T, ExecuteOptions.defaults());
            assertThat(v.dataframe(T, ReadOptions.latest()).column("note"))
                    .containsExactly("first", null, "third, with a comma");
        }
    }

    @Test
    void aColumnFileWithAnotherRowCountIsABuilderErrorNamingIt() throws IOException {
        Path file = dir.resolve("notes.csv");
        Files.writeString(file, "note\na\nb\n");
        try (Vault v = open()) {
            setup(v, BuilderSpec.fromYaml("name: books_index\ntype: index\nbuilder: range\nchangedColumns: [id]\n"
                            + "types: {id: long}\narguments: {count: 3}\n"),
                    BuilderSpec.fromYaml("name: note\ntype: column\nbuilder: csv\nmode: generator\n"
                            + "changedColumns: [note]\ndependencies: [books_index]\narguments: {path: "
                            + quoted(file) + "}\n"));
            TvBuilderException e = catchThrowableOfType(() -> v.executeInstance(T, ExecuteOptions.defaults()),
                    TvBuilderException.class);
            assertThat(e.getMessage()).contains("builder 'note' (csv)", file.toString(), "2 data rows",
                    "the index has 3");
            assertThat(v.instances(T, null, false)).isEmpty();
        }
    }

    // ---- the builder called directly -----------------------------------------------------------------------

    /** The context a builder sees, reduced to what the csv builder reads. */
    private record Ctx(List<Column> columns, Map<String, Object> arguments, long rowCount) implements BuildContext {
        @Override
        public String table() {
            return T;
        }

        @Override
        public String version() {
            return "base";
        }

        @Override
        public String builderName() {
            return "loader";
        }

        @Override
        public String processId() {
            return "p";
        }

        @Override
        public Object value(String column, long row) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Path artifactFolder() {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean stopRequested() {
            return false;
        }

        @Override
        public dev.tablevault.api.Vault vault() {
            throw new UnsupportedOperationException("no vault in this test");
        }
    }

    private static Ctx ctx(Path file, List<Column> columns, Object... moreArgs) {
        Map<String, Object> args = new HashMap<>();
        args.put("path", file.toString());
        for (int i = 0; i < moreArgs.length; i += 2) {
            args.put((String) moreArgs[i], moreArgs[i + 1]);
        }
        return new Ctx(columns, args, -1);
    }

    private static final List<Column> BOOK_COLUMNS = expectedBooks(0).columns();

    /** Seeded firstRow values: the generator yields exactly rows firstRow.. of the file. */
    @ParameterizedTest(name = "[{index}] seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6})
    void aGeneratorToldFirstRowYieldsExactlyTheRowsFromThere(long seed) throws Exception {
        int rows = 1 + new Random(seed).nextInt(3_000);
        long firstRow = new Random(seed + 100).nextInt(rows + 1);
        Path file = books(rows);
        List<List<Object>> got = new ArrayList<>();
        CSV_GENERATOR.generate(ctx(file, BOOK_COLUMNS), firstRow, got::add);
        Frame all = expectedBooks(rows);
        assertThat(got).hasSize((int) (rows - firstRow));
        for (int i = 0; i < got.size(); i++) {
            assertThat(got.get(i)).isEqualTo(all.row((int) firstRow + i));
        }
    }

    /**
     * Rows reach the sink while the file is still being read: a bad value on the last line is never met when the
     * sink stops at the first row, after skipping, so nothing read the whole file first.
     */
    @Test
    void aGeneratorStreamsRatherThanReadingTheWholeFileFirst() throws Exception {
        Path file = books(5_000);
        Files.writeString(file, "not-a-number,x,oops,1.0\n", java.nio.file.StandardOpenOption.APPEND);
        Interrupted e = catchThrowableOfType(() -> CSV_GENERATOR.generate(ctx(file, BOOK_COLUMNS), 4_000, values -> {
            throw new Interrupted("first row " + values);
        }), Interrupted.class);
        assertThat(e.getMessage()).isEqualTo("first row " + expectedBooks(5_000).row(4_000));
        TvBuilderException bad = catchThrowableOfType(
                () -> CSV_GENERATOR.generate(ctx(file, BOOK_COLUMNS), 4_000, values -> { }),
                TvBuilderException.class);
        assertThat(bad.getMessage()).contains("line 5002", "'oops'");
    }

    @Test
    void aResumeBeyondTheFileSaysItChanged() throws Exception {
        Path file = books(10);
        TvBuilderException e = catchThrowableOfType(
                () -> CSV_GENERATOR.generate(ctx(file, BOOK_COLUMNS), 11, values -> { }), TvBuilderException.class);
        assertThat(e.code()).isEqualTo(ErrorCode.BAD_BUILDER);
        assertThat(e.getMessage()).contains(file.toString(), "10 data rows", "changed");
    }

    static Stream<Arguments> cells() {
        return Stream.of(
                Arguments.of(ColumnType.LONG, "-42", -42L),
                Arguments.of(ColumnType.LONG, " 9223372036854775807 ", Long.MAX_VALUE),
                Arguments.of(ColumnType.DOUBLE, "2.5e3", 2500.0),
                Arguments.of(ColumnType.DOUBLE, "NaN", Double.NaN),
                Arguments.of(ColumnType.BOOLEAN, "TRUE", true),
                Arguments.of(ColumnType.BOOLEAN, "false", false),
                Arguments.of(ColumnType.STRING, " spaced, and \"quoted\" ", " spaced, and \"quoted\" "),
                Arguments.of(ColumnType.STRING, "line one\nline two", "line one\nline two"),
                Arguments.of(ColumnType.TIMESTAMP, "2024-05-01T09:30:00Z", Instant.parse("2024-05-01T09:30:00Z")),
                Arguments.of(ColumnType.TIMESTAMP, "2024-05-01T11:30:00.5+02:00",
                        Instant.parse("2024-05-01T09:30:00.5Z")),
                Arguments.of(ColumnType.DURATION, "PT1.5S", Duration.ofMillis(1_500)),
                Arguments.of(ColumnType.DURATION, "P2DT3H", Duration.ofHours(51)),
                Arguments.of(ColumnType.ARTIFACT, "images/a.png", "images/a.png"),
                Arguments.of(ColumnType.BYTES, "AQID", new byte[]{1, 2, 3}));
    }

    private static String csvCell(String text) {
        return "\"" + text.replace("\"", "\"\"") + "\"";
    }

    @ParameterizedTest(name = "[{index}] {0} {1}")
    @MethodSource("cells")
    void everyTypeParsesAndAnEmptyCellIsNull(ColumnType type, String cell, Object expected) throws Exception {
        Path file = dir.resolve("typed.csv");
        Files.writeString(file, "n,v\n1," + csvCell(cell) + "\n2,\n3,\"\"\n");
        List<Column> cols = List.of(new Column("v", type), new Column("n", ColumnType.LONG));
        Frame f = CSV_FRAME.build(ctx(file, cols));
        assertThat(f.columns()).isEqualTo(cols);
        assertThat(Frame.valueEquals(f.get(0, 0), expected)).as("%s", f.get(0, 0)).isTrue();
        assertThat(f.column("v").subList(1, 3)).containsOnlyNulls();
        assertThat(f.column("n")).containsExactly(1L, 2L, 3L);
    }

    static Stream<Arguments> badCells() {
        return Stream.of(
                Arguments.of(ColumnType.LONG, "12.5"),
                Arguments.of(ColumnType.LONG, "99999999999999999999"),
                Arguments.of(ColumnType.DOUBLE, "one"),
                Arguments.of(ColumnType.BOOLEAN, "yes"),
                Arguments.of(ColumnType.TIMESTAMP, "2024-05-01 09:30"),
                Arguments.of(ColumnType.DURATION, "90s"),
                Arguments.of(ColumnType.BYTES, "not base64!"));
    }

    @ParameterizedTest(name = "[{index}] {0} {1}")
    @MethodSource("badCells")
    void aValueThatDoesNotParseNamesFileLineColumnAndValue(ColumnType type, String cell) throws Exception {
        Path file = dir.resolve("bad.csv");
        Files.writeString(file, "n,v\n1,\n\n2," + csvCell(cell) + "\n");
        TvBuilderException e = catchThrowableOfType(
                () -> CSV_FRAME.build(ctx(file, List.of(new Column("v", type)))), TvBuilderException.class);
        assertThat(e.code()).isEqualTo(ErrorCode.BAD_BUILDER);
        assertThat(e.getMessage()).contains("builder 'loader' (csv)", file.toString(), "line 4", "column 'v'",
                "'" + cell + "'", type.name().toLowerCase());
    }

    @Test
    void withoutAHeaderColumnsAreTakenByPositionWithTheDelimiterGiven() throws Exception {
        Path file = dir.resolve("plain.tsv");
        Files.writeString(file, "7\ttrue\tignored\n8\tfalse\textra\n");
        List<Column> cols = List.of(new Column("n", ColumnType.LONG), new Column("ok", ColumnType.BOOLEAN));
        Frame f = CSV_FRAME.build(ctx(file, cols, "header", false, "delimiter", "\t"));
        assertThat(f.row(0)).containsExactly(7L, true);
        assertThat(f.row(1)).containsExactly(8L, false);

        Files.writeString(file, "7\ttrue\n8\n");
        TvBuilderException e = catchThrowableOfType(
                () -> CSV_FRAME.build(ctx(file, cols, "header", "false", "delimiter", "\t")), TvBuilderException.class);
        assertThat(e.getMessage()).contains(file.toString(), "line 2", "1 fields", "[n, ok]");
    }

    @Test
    void aColumnMissingFromTheHeaderIsABuilderErrorNamingItAndTheFile() throws Exception {
        Path file = books(3);
        List<Column> cols = List.of(new Column("id", ColumnType.LONG), new Column("author", ColumnType.STRING));
        TvBuilderException e = catchThrowableOfType(() -> CSV_FRAME.build(ctx(file, cols)), TvBuilderException.class);
        assertThat(e.code()).isEqualTo(ErrorCode.BAD_BUILDER);
        assertThat(e.getMessage()).contains("column 'author'", file.toString(), "[title, extra, id, price]");
    }

    @Test
    void aMissingFileIsABuilderErrorNamingThePath() {
        Path file = dir.resolve("nowhere").resolve("gone.csv");
        TvBuilderException e = catchThrowableOfType(() -> CSV_FRAME.build(ctx(file, BOOK_COLUMNS)),
                TvBuilderException.class);
        assertThat(e.code()).isEqualTo(ErrorCode.BAD_BUILDER);
        assertThat(e.getMessage()).contains("argument 'path'", file.toString());
    }

    static Stream<Arguments> badArguments() {
        return Stream.of(
                Arguments.of(new Object[]{"delimiter", ";;"}, "delimiter"),
                Arguments.of(new Object[]{"delimiter", "\""}, "delimiter"),
                Arguments.of(new Object[]{"header", "maybe"}, "header"),
                Arguments.of(new Object[]{"path", ""}, "path"));
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @MethodSource("badArguments")
    void badArgumentsAreBuilderErrorsNamingTheArgument(Object[] args, String name) throws Exception {
        Path file = books(1);
        TvBuilderException e = catchThrowableOfType(() -> CSV_FRAME.build(ctx(file, BOOK_COLUMNS, args)),
                TvBuilderException.class);
        assertThat(e.getMessage()).contains("argument '" + name + "'");
    }

    @Test
    void objectColumnsAreRefused() throws Exception {
        Path file = books(1);
        List<Column> cols = List.of(new Column("title", ColumnType.OBJECT));
        TvBuilderException e = catchThrowableOfType(() -> CSV_FRAME.build(ctx(file, cols)), TvBuilderException.class);
        assertThat(e.getMessage()).contains("column 'title'", "object");
    }

    @Test
    void malformedCsvNamesTheFileAndLine() throws Exception {
        Path file = dir.resolve("broken.csv");
        Files.writeString(file, "id,title,price\n1,\"unclosed,2.0\n");
        TvBuilderException e = catchThrowableOfType(
                () -> CSV_FRAME.build(ctx(file, List.of(new Column("id", ColumnType.LONG)))), TvBuilderException.class);
        assertThat(e.getMessage()).contains(file.toString(), "line");
        assertThat(Arrays.asList(e.getMessage().split("\n"))).hasSize(1);
    }

    /** Spreadsheet programs start UTF-8 files with a byte order mark; it is neither a header nor a cell. */
    @ParameterizedTest(name = "[{index}] header {0}")
    @ValueSource(booleans = {true, false})
    void aByteOrderMarkIsDropped(boolean header) throws Exception {
        Path file = dir.resolve("excel.csv");
        Files.writeString(file, "\uFEFF" + (header ? "n,word\n" : "") + "7,caf\u00e9\n8,na\u00efve\n");
        List<Column> cols = List.of(new Column("n", ColumnType.LONG), new Column("word", ColumnType.STRING));
        Frame f = CSV_FRAME.build(ctx(file, cols, "header", header));
        assertThat(f.column("n")).containsExactly(7L, 8L);
        assertThat(f.column("word")).containsExactly("caf\u00e9", "na\u00efve");
    }

    /**
     * A Latin-1 file (what some spreadsheet programs save) is a builder error naming the file and the line of the
     * first byte that is not UTF-8, with what to do, in our words (the decoder's report is only the cause); the
     * execution reverts. The bad line is placed past the reader's first buffers too.
     */
    @ParameterizedTest(name = "[{index}] bad line {0}")
    @ValueSource(ints = {2, 3_001})
    void textThatIsNotUtf8IsABuilderErrorNamingTheLine(int badLine) throws IOException {
        StringBuilder text = new StringBuilder("id,title,price\n");
        for (int line = 2; line < badLine + 3; line++) {
            text.append(line).append(',').append(line == badLine ? "Caf\u00e9" : "Cafe").append(",1.5\n");
        }
        Path file = dir.resolve("latin1.csv");
        Files.write(file, text.toString().getBytes(StandardCharsets.ISO_8859_1));
        try (Vault v = open()) {
            setup(v, index("csv", "generator", file));
            TvBuilderException e = catchThrowableOfType(() -> v.executeInstance(T, ExecuteOptions.defaults()),
                    TvBuilderException.class);
            assertThat(e.code()).isEqualTo(ErrorCode.BAD_BUILDER);
            assertThat(e.getMessage()).contains("builder 'books_index' (csv)", file.toString(),
                    "line " + badLine + " ", "not UTF-8", "0xE9", "save the file as UTF-8")
                    .doesNotContain("Invalid", "start byte");
            assertThat(e.getCause()).isInstanceOf(Utf8Reader.NotUtf8Exception.class);
            // Reverted: no instance, process or lock (the rows before it stay on TEMP_base for inspection).
            assertThat(v.instances(T, null, false)).isEmpty();
            assertThat(v.activeProcesses()).isEmpty();
            assertThat(v.locks()).isEmpty();
        }
    }

    @Test
    void theBuiltinIsListed() {
        assertThat(Builtins.names()).contains("csv");
        assertThat(Builtins.get("csv")).isInstanceOf(FrameBuilder.class).isInstanceOf(GeneratorBuilder.class);
    }
}
