package dev.tablevault.engine;

import dev.tablevault.api.BuilderSpec;
import dev.tablevault.api.Column;
import dev.tablevault.api.ColumnType;
import dev.tablevault.api.Durability;
import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.Hint;
import dev.tablevault.api.Frame;
import dev.tablevault.api.InstanceOptions;
import dev.tablevault.api.OpOptions;
import dev.tablevault.api.ProcessState;
import dev.tablevault.api.ReadOptions;
import dev.tablevault.api.StopOptions;
import dev.tablevault.api.TableOptions;
import dev.tablevault.api.TableVaultException;
import dev.tablevault.api.TvArgumentException;
import dev.tablevault.api.TvBuilderException;
import dev.tablevault.api.TvProcessException;
import dev.tablevault.api.TvStorageException;
import dev.tablevault.api.Vault;
import dev.tablevault.api.VaultOptions;
import dev.tablevault.api.WriteOptions;
import dev.tablevault.engine.process.CrashPoints;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.fail;

/**
 * Invariant 6: bad input (names, specs, arguments, vault paths) gets a typed error with the right code and a
 * message naming the offending value, and changes nothing ({@link VaultContents} equal before and after).
 *
 * <p>Most cases share one vault ({@link #vault}): table {@code stories} with a materialized external-edit
 * instance of version {@code base} ({@link #baseId}), a builder instance {@code TEMP_draft} with builders
 * {@code stories_index} and {@code title}, and an empty external-edit instance {@code TEMP_ext}; and an empty
 * table {@code other}. Every case is expected to fail, so the vault stays as set up.
 */
class BadInputTest {
    @TempDir
    static Path root;
    private static final AtomicInteger DIRS = new AtomicInteger();
    private static Vault vault;
    private static String baseId;

    static final Frame FRAME = Frame.builder().column("id", ColumnType.LONG).column("title", ColumnType.STRING)
            .row(1L, "one").row(2L, null).build();
    static final BuilderSpec TITLE = BuilderSpec.fromYaml(
            "name: title\ntype: column\nbuilder: template\nchangedColumns: [title]\n");
    static final BuilderSpec INDEX = BuilderSpec.fromYaml(
            "name: stories_index\ntype: index\nbuilder: range\nchangedColumns: [id]\nprimaryKey: [id]\n");
    static final String UNKNOWN_ID = "base_1_0000abcd";

    /** A call against a vault. */
    @FunctionalInterface
    interface VaultCall {
        void run(Vault v) throws Exception;
    }

    @BeforeAll
    static void setUp() {
        vault = TableVault.open(root.resolve("shared"), options().create(true));
        vault.createTable("stories", TableOptions.defaults());
        vault.createInstance("stories", InstanceOptions.defaults().externalEdit(true));
        vault.writeInstance("stories", FRAME, WriteOptions.defaults());
        baseId = vault.instances("stories", "base", false).get(0);
        vault.createInstance("stories", InstanceOptions.defaults().version("draft"));
        vault.putBuilder("stories", "draft", INDEX, OpOptions.defaults());
        vault.putBuilder("stories", "draft", TITLE, OpOptions.defaults());
        vault.createInstance("stories", InstanceOptions.defaults().version("ext").externalEdit(true));
        vault.createTable("other", TableOptions.defaults());
    }

    @AfterAll
    static void tearDown() {
        if (vault != null) {
            vault.close();
        }
    }

    @AfterEach
    void disarm() {
        CrashPoints.disarmAll();
    }

    private static VaultOptions options() {
        return VaultOptions.defaults().durability(Durability.NONE);
    }

    private static Path newDir() {
        return root.resolve("own-" + DIRS.incrementAndGet());
    }

    /**
     * Asserts that {@code call} on {@code v} throws exactly {@code type} with {@code code}, a message containing
     * {@code offending}, and leaves the vault's contents as they were.
     */
    static <E extends TableVaultException> E rejects(Vault v, Class<E> type, ErrorCode code, String offending,
                                                      VaultCall call) {
        VaultContents before = VaultContents.of(v);
        Throwable t = catchThrowable(() -> call.run(v));
        assertThat(t).isExactlyInstanceOf(type);
        E e = type.cast(t);
        assertThat(e.code()).as("code of: %s", e.getMessage()).isEqualTo(code);
        assertThat(e.getMessage()).contains(offending);
        assertThat(VaultContents.of(v)).isEqualTo(before);
        return e;
    }

    private static void badArgument(String offending, VaultCall call) {
        rejects(vault, TvArgumentException.class, ErrorCode.BAD_ARGUMENT, offending, call);
    }

    // ---- table names ----------------------------------------------------------------------------------------

    /** Every operation and read that takes a table name, called with {@code name}. */
    static Map<String, java.util.function.BiConsumer<Vault, String>> tableNameOps() {
        Map<String, java.util.function.BiConsumer<Vault, String>> ops = new LinkedHashMap<>();
        ops.put("createTable", (v, n) -> v.createTable(n, TableOptions.defaults()));
        ops.put("renameTable.to", (v, n) -> v.renameTable("other", n, OpOptions.defaults()));
        ops.put("renameTable.from", (v, n) -> v.renameTable(n, "fresh", OpOptions.defaults()));
        ops.put("deleteTable", (v, n) -> v.deleteTable(n, OpOptions.defaults()));
        ops.put("createInstance", (v, n) -> v.createInstance(n, InstanceOptions.defaults()));
        ops.put("createInstance.originTable", (v, n) -> v.createInstance("stories",
                InstanceOptions.defaults().version("o").originId(baseId).originTable(n)));
        ops.put("deleteInstance", (v, n) -> v.deleteInstance(n, baseId, OpOptions.defaults()));
        ops.put("putBuilder", (v, n) -> v.putBuilder(n, "draft", TITLE, OpOptions.defaults()));
        ops.put("deleteBuilder", (v, n) -> v.deleteBuilder(n, "draft", "title", OpOptions.defaults()));
        ops.put("writeInstance", (v, n) -> v.writeInstance(n, FRAME, WriteOptions.defaults().version("ext")));
        ops.put("instances", (v, n) -> v.instances(n, null, true));
        ops.put("dataframe", (v, n) -> v.dataframe(n, ReadOptions.latest()));
        ops.put("rows", (v, n) -> v.rows(n, ReadOptions.latest()).close());
        ops.put("builders", (v, n) -> v.builders(n, "draft"));
        ops.put("builder", (v, n) -> v.builder(n, "draft", "title"));
        ops.put("description", (v, n) -> v.description(n));
        ops.put("description.instance", (v, n) -> v.description(n, baseId));
        return ops;
    }

    static List<String> reservedNames() {
        return List.of("artifacts", "ARTIFACTS", "Artifacts", "builders", "BUILDERS", "self", "SELF", "Self",
                "index", "INDEX", "Index", "locks", "LOCKS", "restart", "Restart", "metadata", "METADATA",
                "code_functions", "CODE_FUNCTIONS", "temp", "TEMP", "Temp", "_temp", "execution_archive",
                "EXECUTION_ARCHIVE", "archived_trash", "ARCHIVED_TRASH", "description.yaml", ".tablevault",
                "~PROCESS_ID~");
    }

    static List<String> malformedNames() {
        List<String> names = new ArrayList<>(List.of("", " ", "a b", " lead", "trail ", "a/b", "../up", "/abs",
                ".hidden", "a".repeat(65), "b".repeat(200), "ünïcödé", "表", "emoji😀", "a\tb", "a\nb", "a\u0000b",
                "-lead", "_lead", "a.b", "a:b", "a*b", "a\\b", "a'b", "a\"b", "a%2Fb"));
        names.addAll(randomMalformed(new Random(42), 20, 64, "abcXYZ019_-"));
        return names;
    }

    /**
     * Seeded malformed names: a valid name with one forbidden character inserted, a valid name behind a
     * forbidden first character, or a valid alphabet beyond {@code maxLength}.
     */
    static List<String> randomMalformed(Random r, int count, int maxLength, String validTail) {
        String[] forbidden = {" ", "/", "\\", ".", ":", "*", "?", "\"", "'", "<", ">", "|", "\t", "\n", "\u0000",
                "é", "表", "😀", "~", "!", "@", "#", "$", "%", "^", "&", "(", ")", "+", "=", "[", "]", "{", "}",
                ";", ",", "`"};
        String alnum = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        List<String> out = new ArrayList<>();
        while (out.size() < count) {
            StringBuilder sb = new StringBuilder().append(alnum.charAt(r.nextInt(alnum.length())));
            int len = r.nextInt(20);
            for (int i = 0; i < len; i++) {
                sb.append(validTail.charAt(r.nextInt(validTail.length())));
            }
            String name;
            switch (r.nextInt(3)) {
                case 0 -> {
                    String f = forbidden[r.nextInt(forbidden.length)];
                    if (validTail.contains(f)) {
                        continue;
                    }
                    name = sb.insert(r.nextInt(sb.length() + 1), f).toString();
                }
                case 1 -> name = (r.nextBoolean() ? "_" : "-") + sb;
                default -> {
                    while (sb.length() <= maxLength) {
                        sb.append(validTail.charAt(r.nextInt(validTail.length())));
                    }
                    name = sb.toString();
                }
            }
            if (!out.contains(name)) {
                out.add(name);
            }
        }
        return out;
    }

    static Stream<Arguments> reservedNameCases() {
        return reservedNames().stream().flatMap(n -> tableNameOps().keySet().stream().map(op -> Arguments.of(n, op)));
    }

    static Stream<Arguments> malformedNameCases() {
        List<String> names = new ArrayList<>(malformedNames());
        names.add(null);
        // A null originTable means "the same table": not a bad name.
        return names.stream().flatMap(n -> tableNameOps().keySet().stream()
                .filter(op -> n != null || !op.equals("createInstance.originTable")).map(op -> Arguments.of(n, op)));
    }

    @ParameterizedTest(name = "[{index}] {1}(\"{0}\")")
    @MethodSource("reservedNameCases")
    void reservedTableNamesAreRefusedEverywhere(String name, String op) {
        badArgument(name, v -> tableNameOps().get(op).accept(v, name));
    }

    @ParameterizedTest(name = "[{index}] {1}(\"{0}\")")
    @MethodSource("malformedNameCases")
    void malformedTableNamesAreRefusedEverywhere(String name, String op) {
        badArgument(name == null ? "null" : name, v -> tableNameOps().get(op).accept(v, name));
    }

    @Test
    void longestTableNameIsAccepted() {
        String name = "a".repeat(64);
        vault.createTable(name, TableOptions.defaults());
        assertThat(vault.tables()).contains(name);
        vault.deleteTable(name, OpOptions.defaults());
        assertThat(vault.tables()).containsExactlyInAnyOrder("stories", "other");
    }

    // ---- versions -------------------------------------------------------------------------------------------

    static Map<String, java.util.function.BiConsumer<Vault, String>> versionOps() {
        Map<String, java.util.function.BiConsumer<Vault, String>> ops = new LinkedHashMap<>();
        ops.put("createInstance", (v, n) -> v.createInstance("stories", InstanceOptions.defaults().version(n)));
        ops.put("putBuilder", (v, n) -> v.putBuilder("stories", n, TITLE, OpOptions.defaults()));
        ops.put("deleteBuilder", (v, n) -> v.deleteBuilder("stories", n, "title", OpOptions.defaults()));
        ops.put("writeInstance", (v, n) -> v.writeInstance("stories", FRAME, WriteOptions.defaults().version(n)));
        ops.put("instances", (v, n) -> v.instances("stories", n, true));
        ops.put("builders", (v, n) -> v.builders("stories", n));
        ops.put("builder", (v, n) -> v.builder("stories", n, "title"));
        return ops;
    }

    static Stream<Arguments> badVersionCases() {
        List<String> versions = new ArrayList<>(List.of("v_1", "_v", "base_", "a_b_c", "", " ", "v 1", "v/1", "v.1",
                "vé", "a".repeat(33), "-v", "TEMP_x"));
        versions.addAll(randomMalformed(new Random(42), 10, 32, "abcXYZ019-"));
        return versions.stream().flatMap(n -> versionOps().keySet().stream().map(op -> Arguments.of(n, op)));
    }

    @ParameterizedTest(name = "[{index}] {1}(\"{0}\")")
    @MethodSource("badVersionCases")
    void badVersionsAreRefused(String version, String op) {
        badArgument(version, v -> versionOps().get(op).accept(v, version));
    }

    // ---- process ids ----------------------------------------------------------------------------------------

    static Map<String, java.util.function.BiConsumer<Vault, String>> processIdOps() {
        Map<String, java.util.function.BiConsumer<Vault, String>> ops = new LinkedHashMap<>();
        ops.put("createTable", (v, p) -> v.createTable("fresh", TableOptions.defaults().processId(p)));
        ops.put("renameTable", (v, p) -> v.renameTable("other", "fresh", OpOptions.defaults().processId(p)));
        ops.put("deleteTable", (v, p) -> v.deleteTable("other", OpOptions.defaults().processId(p)));
        ops.put("createInstance", (v, p) -> v.createInstance("stories",
                InstanceOptions.defaults().version("x").processId(p)));
        ops.put("deleteInstance", (v, p) -> v.deleteInstance("stories", "TEMP_ext",
                OpOptions.defaults().processId(p)));
        ops.put("putBuilder", (v, p) -> v.putBuilder("stories", "draft", TITLE, OpOptions.defaults().processId(p)));
        ops.put("deleteBuilder", (v, p) -> v.deleteBuilder("stories", "draft", "title",
                OpOptions.defaults().processId(p)));
        ops.put("writeInstance", (v, p) -> v.writeInstance("stories", FRAME,
                WriteOptions.defaults().version("ext").processId(p)));
        ops.put("stopProcess.target", (v, p) -> v.stopProcess(p, StopOptions.defaults()));
        ops.put("stopProcess.own", (v, p) -> v.stopProcess("some-target", StopOptions.defaults().processId(p)));
        ops.put("resumeProcess", Vault::resumeProcess);
        ops.put("process", Vault::process);
        ops.put("processLog", Vault::processLog);
        ops.put("isProcessComplete", Vault::isProcessComplete);
        return ops;
    }

    static Stream<Arguments> badProcessIdCases() {
        List<String> ids = new ArrayList<>(List.of("", " ", "a b", "_x", "-x", ".x", ":x", "a/b", "a\\b",
                "a".repeat(129), "pé", "a\u0000b", "a\nb", "a;b", "表", "a*"));
        ids.addAll(randomMalformed(new Random(42), 10, 128, "abcXYZ019._:-").stream()
                .filter(s -> !s.matches("[A-Za-z0-9][A-Za-z0-9._:-]*") || s.length() > 128).toList());
        return ids.stream().flatMap(p -> processIdOps().keySet().stream().map(op -> Arguments.of(p, op)));
    }

    @ParameterizedTest(name = "[{index}] {1}(\"{0}\")")
    @MethodSource("badProcessIdCases")
    void badProcessIdsAreRefused(String pid, String op) {
        badArgument(pid, v -> processIdOps().get(op).accept(v, pid));
    }

    @Test
    void longestProcessIdIsAccepted() {
        String pid = "p" + "a.b:c-".repeat(21) + "x";
        assertThat(pid).hasSize(128);
        vault.createTable("pid-ok", TableOptions.defaults().processId(pid));
        assertThat(vault.process(pid).state()).isEqualTo(ProcessState.COMMITTED);
        vault.deleteTable("pid-ok", OpOptions.defaults());
    }

    // ---- unknown things, duplicates, other bad arguments ----------------------------------------------------

    static Frame frame(List<Column> columns, List<List<Object>> values) {
        return Frame.ofColumns(columns, values);
    }

    static Stream<Arguments> badArgumentCases() {
        Frame noRows = frame(List.of(new Column("id", ColumnType.LONG)), List.of(List.of()));
        Frame noColumns = frame(List.of(), List.of());
        Frame indexColumn = Frame.builder().column("index", ColumnType.LONG).row(1L).build();
        Frame spaceColumn = Frame.builder().column("a b", ColumnType.LONG).row(1L).build();
        Frame emptyColumn = Frame.builder().column("", ColumnType.LONG).row(1L).build();
        return Stream.of(
                // unknown tables and instances, every write
                c("createInstance unknown table", TvArgumentException.class, ErrorCode.NOT_FOUND, "nope",
                        v -> v.createInstance("nope", InstanceOptions.defaults())),
                c("deleteTable unknown", TvArgumentException.class, ErrorCode.NOT_FOUND, "nope",
                        v -> v.deleteTable("nope", OpOptions.defaults())),
                c("renameTable unknown", TvArgumentException.class, ErrorCode.NOT_FOUND, "nope",
                        v -> v.renameTable("nope", "fresh", OpOptions.defaults())),
                c("deleteInstance unknown table", TvArgumentException.class, ErrorCode.NOT_FOUND, "nope",
                        v -> v.deleteInstance("nope", UNKNOWN_ID, OpOptions.defaults())),
                c("deleteInstance unknown id", TvArgumentException.class, ErrorCode.NOT_FOUND, UNKNOWN_ID,
                        v -> v.deleteInstance("stories", UNKNOWN_ID, OpOptions.defaults())),
                c("deleteInstance unknown temp", TvArgumentException.class, ErrorCode.NOT_FOUND, "TEMP_nov",
                        v -> v.deleteInstance("stories", "TEMP_nov", OpOptions.defaults())),
                c("putBuilder unknown table", TvArgumentException.class, ErrorCode.NOT_FOUND, "nope",
                        v -> v.putBuilder("nope", "draft", TITLE, OpOptions.defaults())),
                c("putBuilder no temp instance", TvArgumentException.class, ErrorCode.NOT_FOUND, "TEMP_nov",
                        v -> v.putBuilder("stories", "nov", TITLE, OpOptions.defaults())),
                c("deleteBuilder unknown table", TvArgumentException.class, ErrorCode.NOT_FOUND, "nope",
                        v -> v.deleteBuilder("nope", "draft", "title", OpOptions.defaults())),
                c("deleteBuilder no temp instance", TvArgumentException.class, ErrorCode.NOT_FOUND, "TEMP_nov",
                        v -> v.deleteBuilder("stories", "nov", "title", OpOptions.defaults())),
                c("deleteBuilder unknown builder", TvArgumentException.class, ErrorCode.NOT_FOUND, "missing",
                        v -> v.deleteBuilder("stories", "draft", "missing", OpOptions.defaults())),
                c("writeInstance unknown table", TvArgumentException.class, ErrorCode.NOT_FOUND, "nope",
                        v -> v.writeInstance("nope", FRAME, WriteOptions.defaults())),
                c("writeInstance no temp instance", TvArgumentException.class, ErrorCode.NOT_FOUND, "TEMP_nov",
                        v -> v.writeInstance("stories", FRAME, WriteOptions.defaults().version("nov"))),
                c("createInstance unknown origin", TvArgumentException.class, ErrorCode.NOT_FOUND, UNKNOWN_ID,
                        v -> v.createInstance("stories", InstanceOptions.defaults().version("o").originId(UNKNOWN_ID))),
                c("createInstance origin in unknown table", TvArgumentException.class, ErrorCode.NOT_FOUND, "nope",
                        v -> v.createInstance("stories", InstanceOptions.defaults().version("o").originId(baseId)
                                .originTable("nope"))),
                c("stopProcess unknown", TvProcessException.class, ErrorCode.NOT_FOUND, "no-such-process",
                        v -> v.stopProcess("no-such-process", StopOptions.defaults())),
                c("resumeProcess unknown", TvProcessException.class, ErrorCode.NOT_FOUND, "no-such-process",
                        v -> v.resumeProcess("no-such-process")),
                // unknown things, every read
                c("instances unknown", TvArgumentException.class, ErrorCode.NOT_FOUND, "nope",
                        v -> v.instances("nope", null, true)),
                c("dataframe unknown", TvArgumentException.class, ErrorCode.NOT_FOUND, "nope",
                        v -> v.dataframe("nope", ReadOptions.latest())),
                c("rows unknown", TvArgumentException.class, ErrorCode.NOT_FOUND, "nope",
                        v -> v.rows("nope", ReadOptions.latest()).close()),
                c("builders unknown", TvArgumentException.class, ErrorCode.NOT_FOUND, "nope",
                        v -> v.builders("nope", "draft")),
                c("builder unknown table", TvArgumentException.class, ErrorCode.NOT_FOUND, "nope",
                        v -> v.builder("nope", "draft", "title")),
                c("builder unknown", TvArgumentException.class, ErrorCode.NOT_FOUND, "missing",
                        v -> v.builder("stories", "draft", "missing")),
                c("description unknown", TvArgumentException.class, ErrorCode.NOT_FOUND, "nope",
                        v -> v.description("nope")),
                c("description unknown table of instance", TvArgumentException.class, ErrorCode.NOT_FOUND, "nope",
                        v -> v.description("nope", UNKNOWN_ID)),
                c("description unknown instance", TvArgumentException.class, ErrorCode.NOT_FOUND, UNKNOWN_ID,
                        v -> v.description("stories", UNKNOWN_ID)),
                c("dataframe unknown id", TvArgumentException.class, ErrorCode.NOT_FOUND, UNKNOWN_ID,
                        v -> v.dataframe("stories", ReadOptions.id(UNKNOWN_ID))),
                c("rows unknown id", TvArgumentException.class, ErrorCode.NOT_FOUND, UNKNOWN_ID,
                        v -> v.rows("stories", ReadOptions.id(UNKNOWN_ID)).close()),
                c("dataframe nothing materialized", TvArgumentException.class, ErrorCode.NOT_FOUND, "other",
                        v -> v.dataframe("other", ReadOptions.latest())),
                c("dataframe unknown version", TvArgumentException.class, ErrorCode.NOT_FOUND, "nov",
                        v -> v.dataframe("stories", ReadOptions.version("nov"))),
                c("process unknown", TvProcessException.class, ErrorCode.NOT_FOUND, "no-such-process",
                        v -> v.process("no-such-process")),
                c("processLog unknown", TvProcessException.class, ErrorCode.NOT_FOUND, "no-such-process",
                        v -> v.processLog("no-such-process")),
                // duplicates
                c("createTable duplicate", TvArgumentException.class, ErrorCode.ALREADY_EXISTS, "stories",
                        v -> v.createTable("stories", TableOptions.defaults())),
                c("createTable duplicate, user id", TvArgumentException.class, ErrorCode.ALREADY_EXISTS, "other",
                        v -> v.createTable("other", TableOptions.defaults().processId("dup-table-1"))),
                c("createInstance duplicate", TvArgumentException.class, ErrorCode.ALREADY_EXISTS, "TEMP_draft",
                        v -> v.createInstance("stories", InstanceOptions.defaults().version("draft"))),
                c("createInstance duplicate external", TvArgumentException.class, ErrorCode.ALREADY_EXISTS,
                        "TEMP_ext", v -> v.createInstance("stories",
                                InstanceOptions.defaults().version("ext").externalEdit(true))),
                c("renameTable onto existing", TvArgumentException.class, ErrorCode.ALREADY_EXISTS, "stories",
                        v -> v.renameTable("other", "stories", OpOptions.defaults())),
                // other bad arguments
                c("renameTable to itself", TvArgumentException.class, ErrorCode.BAD_ARGUMENT, "stories",
                        v -> v.renameTable("stories", "stories", OpOptions.defaults())),
                c("originTable without originId", TvArgumentException.class, ErrorCode.BAD_ARGUMENT, "other",
                        v -> v.createInstance("stories", InstanceOptions.defaults().version("o").originTable("other"))),
                c("temporary origin", TvArgumentException.class, ErrorCode.BAD_ARGUMENT, "TEMP_draft",
                        v -> v.createInstance("stories", InstanceOptions.defaults().version("o")
                                .originId("TEMP_draft"))),
                c("malformed origin id", TvArgumentException.class, ErrorCode.BAD_ARGUMENT, "not an id",
                        v -> v.createInstance("stories", InstanceOptions.defaults().version("o")
                                .originId("not an id"))),
                c("deleteInstance malformed id", TvArgumentException.class, ErrorCode.BAD_ARGUMENT, "not an id",
                        v -> v.deleteInstance("stories", "not an id", OpOptions.defaults())),
                c("description malformed id", TvArgumentException.class, ErrorCode.BAD_ARGUMENT, "garbage",
                        v -> v.description("stories", "garbage")),
                c("putBuilder on external-edit instance", TvArgumentException.class, ErrorCode.BAD_ARGUMENT,
                        "TEMP_ext", v -> v.putBuilder("stories", "ext", TITLE, OpOptions.defaults())),
                c("deleteBuilder on external-edit instance", TvArgumentException.class, ErrorCode.BAD_ARGUMENT,
                        "TEMP_ext", v -> v.deleteBuilder("stories", "ext", "title", OpOptions.defaults())),
                c("deleteBuilder malformed name", TvArgumentException.class, ErrorCode.BAD_ARGUMENT, "bad name",
                        v -> v.deleteBuilder("stories", "draft", "bad name", OpOptions.defaults())),
                c("builder malformed name", TvArgumentException.class, ErrorCode.BAD_ARGUMENT, "bad/name",
                        v -> v.builder("stories", "draft", "bad/name")),
                c("writeInstance on builder instance", TvArgumentException.class, ErrorCode.BAD_ARGUMENT,
                        "TEMP_draft", v -> v.writeInstance("stories", FRAME, WriteOptions.defaults().version("draft"))),
                c("writeInstance no rows", TvArgumentException.class, ErrorCode.BAD_ARGUMENT, "0 rows",
                        v -> v.writeInstance("stories", noRows, WriteOptions.defaults().version("ext"))),
                c("writeInstance no columns", TvArgumentException.class, ErrorCode.BAD_ARGUMENT, "0 columns",
                        v -> v.writeInstance("stories", noColumns, WriteOptions.defaults().version("ext"))),
                c("writeInstance null frame", TvArgumentException.class, ErrorCode.BAD_ARGUMENT, "null",
                        v -> v.writeInstance("stories", null, WriteOptions.defaults().version("ext"))),
                c("writeInstance column index", TvArgumentException.class, ErrorCode.BAD_ARGUMENT, "'index'",
                        v -> v.writeInstance("stories", indexColumn, WriteOptions.defaults().version("ext"))),
                c("writeInstance column with space", TvArgumentException.class, ErrorCode.BAD_ARGUMENT, "'a b'",
                        v -> v.writeInstance("stories", spaceColumn, WriteOptions.defaults().version("ext"))),
                c("writeInstance empty column name", TvArgumentException.class, ErrorCode.BAD_ARGUMENT, "''",
                        v -> v.writeInstance("stories", emptyColumn, WriteOptions.defaults().version("ext"))),
                c("stopProcess itself", TvArgumentException.class, ErrorCode.BAD_ARGUMENT, "self-stop-1",
                        v -> v.stopProcess("self-stop-1", StopOptions.defaults().processId("self-stop-1"))),
                c("processHistory 0", TvArgumentException.class, ErrorCode.BAD_ARGUMENT, "0",
                        v -> v.processHistory(0)),
                c("null options", TvArgumentException.class, ErrorCode.BAD_ARGUMENT, "null",
                        v -> v.createTable("fresh", null)),
                c("null write options", TvArgumentException.class, ErrorCode.BAD_ARGUMENT, "null",
                        v -> v.writeInstance("stories", FRAME, null)));
    }

    private static Arguments c(String label, Class<? extends TableVaultException> type, ErrorCode code,
                               String offending, VaultCall call) {
        return Arguments.of(label, type, code, offending, call);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("badArgumentCases")
    void badArgumentsGetTypedErrorsAndChangeNothing(String label, Class<? extends TableVaultException> type,
                                                     ErrorCode code, String offending, VaultCall call) {
        rejects(vault, type, code, offending, call);
    }

    @Test
    void unknownProcessIsNotComplete() {
        assertThat(vault.isProcessComplete("no-such-process")).isFalse();
    }

    // ---- builder specs --------------------------------------------------------------------------------------

    static Stream<Arguments> badSpecs() {
        String col = "type: column\nbuilder: template\nchangedColumns: [title]\n";
        String idx = "name: stories_index\ntype: index\nbuilder: range\n";
        return Stream.of(
                spec("invalid YAML", BuilderSpec.fromYaml("name: title\ntype: [column\n"), null, "YAML"),
                spec("invalid JSON", BuilderSpec.fromJson("{\"name\": \"title\", "), null, "JSON"),
                // Jackson would read an alias *a as the text "a", a repeated key as its last value, and only the
                // first YAML document or JSON value: each is refused instead of silently changing the spec.
                spec("YAML alias", BuilderSpec.fromYaml("name: &n title\ntype: column\nbuilder: *n\n"
                        + "changedColumns: [title]\n"), null, "aliases are not supported (*n)"),
                spec("YAML alias bomb", BuilderSpec.fromYaml(billionLaughs() + "name: title\n" + col), null,
                        "aliases are not supported (*l0)"),
                spec("YAML merge key", BuilderSpec.fromYaml("base: &b {type: column}\nname: title\n<<: *b\n"),
                        null, "aliases are not supported (*b)"),
                spec("YAML key twice", BuilderSpec.fromYaml("name: title\n" + col + "builder: range\n"), null,
                        "Duplicate field 'builder'"),
                spec("JSON key twice", BuilderSpec.fromJson("{\"name\": \"title\", \"name\": \"other\"}"), null,
                        "Duplicate field 'name'"),
                spec("second YAML document", BuilderSpec.fromYaml("name: title\n" + col + "---\nname: other\n"), null,
                        "Trailing token"),
                spec("JSON trailing text", BuilderSpec.fromJson("{\"name\": \"title\", \"type\": \"column\","
                        + " \"builder\": \"template\", \"changedColumns\": [\"title\"]} {}"), null, "Trailing token"),
                spec("not a mapping", BuilderSpec.fromYaml("- a\n- b\n"), "?", "spec"),
                spec("empty text", BuilderSpec.fromYaml(""), "?", "spec"),
                spec("missing name", BuilderSpec.fromYaml(col), "?", "name"),
                spec("name not a string", BuilderSpec.fromYaml("name: [a]\n" + col), "?", "name"),
                spec("name with space", BuilderSpec.fromYaml("name: 'a b'\n" + col), "a b", "name"),
                spec("missing type", BuilderSpec.fromYaml(
                        "name: title\nbuilder: template\nchangedColumns: [title]\n"), "title", "type"),
                spec("bad type", BuilderSpec.fromYaml(
                        "name: title\ntype: row\nbuilder: template\nchangedColumns: [title]\n"), "title", "type"),
                spec("missing builder", BuilderSpec.fromYaml(
                        "name: title\ntype: column\nchangedColumns: [title]\n"), "title", "builder"),
                spec("empty builder", BuilderSpec.fromYaml(
                        "name: title\ntype: column\nbuilder: ''\nchangedColumns: [title]\n"), "title", "builder"),
                spec("missing changedColumns", BuilderSpec.fromYaml(
                        "name: title\ntype: column\nbuilder: template\n"), "title", "changedColumns"),
                spec("empty changedColumns", BuilderSpec.fromYaml(
                        "name: title\ntype: column\nbuilder: template\nchangedColumns: []\n"), "title", "changedColumns"),
                spec("changedColumns not a list", BuilderSpec.fromYaml(
                        "name: title\ntype: column\nbuilder: template\nchangedColumns: title\n"), "title",
                        "changedColumns"),
                spec("changedColumns names index", BuilderSpec.fromYaml(
                        "name: title\ntype: column\nbuilder: template\nchangedColumns: [title, index]\n"), "title",
                        "changedColumns"),
                spec("changedColumns duplicate", BuilderSpec.fromYaml(
                        "name: title\ntype: column\nbuilder: template\nchangedColumns: [title, title]\n"), "title",
                        "changedColumns"),
                spec("changedColumns bad name", BuilderSpec.fromYaml(
                        "name: title\ntype: column\nbuilder: template\nchangedColumns: ['a/b']\n"), "title",
                        "changedColumns"),
                spec("unknown field", BuilderSpec.fromYaml("name: title\n" + col + "colour: red\n"), "title", "colour"),
                spec("unknown field JSON", BuilderSpec.fromJson("{\"name\": \"title\", \"type\": \"column\","
                        + " \"builder\": \"template\", \"changedColumns\": [\"title\"], \"retries\": 3}"), "title",
                        "retries"),
                spec("index builder misnamed", BuilderSpec.fromYaml(
                        "name: other_index\ntype: index\nbuilder: range\nchangedColumns: [id]\n"), "other_index", "name"),
                spec("index builder without suffix", BuilderSpec.fromYaml(
                        "name: idx\ntype: index\nbuilder: range\nchangedColumns: [id]\n"), "idx", "name"),
                spec("column builder ending _index", BuilderSpec.fromYaml("name: title_index\n" + col),
                        "title_index", "name"),
                spec("column builder named like the index", BuilderSpec.fromYaml("name: stories_index\n" + col),
                        "stories_index", "name"),
                spec("bad mode", BuilderSpec.fromYaml("name: title\n" + col + "mode: sideways\n"), "title", "mode"),
                spec("threads 0", BuilderSpec.fromYaml("name: title\n" + col + "threads: 0\n"), "title", "threads"),
                spec("threads negative", BuilderSpec.fromYaml("name: title\n" + col + "threads: -2\n"), "title",
                        "threads"),
                spec("threads not a number", BuilderSpec.fromYaml("name: title\n" + col + "threads: many\n"), "title",
                        "threads"),
                spec("threads fractional", BuilderSpec.fromYaml("name: title\n" + col + "threads: 1.5\n"), "title",
                        "threads"),
                spec("types names unknown column", BuilderSpec.fromYaml(
                        "name: title\n" + col + "types: {summary: string}\n"), "title", "types"),
                spec("types bad type", BuilderSpec.fromYaml("name: title\n" + col + "types: {title: complex}\n"),
                        "title", "types"),
                spec("types not a mapping", BuilderSpec.fromYaml("name: title\n" + col + "types: [string]\n"),
                        "title", "types"),
                spec("arguments not a mapping", BuilderSpec.fromYaml("name: title\n" + col + "arguments: [1, 2]\n"),
                        "title", "arguments"),
                spec("dependencies not a list", BuilderSpec.fromYaml("name: title\n" + col + "dependencies: 7\n"),
                        "title", "dependencies"),
                spec("primaryKey not in changedColumns", BuilderSpec.fromYaml(
                        idx + "changedColumns: [id]\nprimaryKey: [key]\n"), "stories_index", "primaryKey"),
                spec("keepOld not boolean", BuilderSpec.fromYaml(idx + "changedColumns: [id]\nkeepOld: 3\n"),
                        "stories_index", "keepOld"),
                spec("keepOld on column builder", BuilderSpec.fromYaml("name: title\n" + col + "keepOld: true\n"),
                        "title", "keepOld"),
                spec("primaryKey on column builder", BuilderSpec.fromYaml(
                        "name: title\n" + col + "primaryKey: [title]\n"), "title", "primaryKey"),
                spec("range count beyond whole-column", BuilderSpec.fromYaml(
                        idx + "changedColumns: [id]\narguments: {count: 10000001}\n"), "stories_index", "count"),
                spec("range count beyond generator", BuilderSpec.fromYaml(
                        idx + "mode: generator\nchangedColumns: [id]\narguments: {count: 2147483648}\n"),
                        "stories_index", "count"),
                spec("range count negative", BuilderSpec.fromYaml(
                        idx + "mode: generator\nchangedColumns: [id]\narguments: {count: -1}\n"), "stories_index",
                        "count"),
                spec("range start wraps past the largest LONG", BuilderSpec.fromYaml(
                        idx + "changedColumns: [id]\narguments: {start: 9223372036854775807, count: 2}\n"),
                        "stories_index", "start"),
                spec("spec over 1 MiB", BuilderSpec.fromYaml("name: title\n" + col + "arguments: {template: '"
                        + "x".repeat(1 << 20) + "'}\n"), "?", "spec"),
                spec("range count not a number", BuilderSpec.fromYaml(
                        idx + "changedColumns: [id]\narguments: {count: many}\n"), "stories_index", "count"),
                spec("random length beyond bound", BuilderSpec.fromYaml("name: title\ntype: column\nbuilder: random\n"
                        + "changedColumns: [title]\narguments: {length: 2147483647}\n"), "title", "length"),
                spec("random length negative", BuilderSpec.fromYaml("name: title\ntype: column\nbuilder: random\n"
                        + "changedColumns: [title]\narguments: {length: -1}\n"), "title", "length"));
    }

    /** Nine levels of nine aliases each: 9^9 strings if a parser expanded them. */
    private static String billionLaughs() {
        StringBuilder sb = new StringBuilder("l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (int i = 1; i < 9; i++) {
            sb.append("l").append(i).append(": &l").append(i).append(" [").append(
                    String.join(", ", java.util.Collections.nCopies(9, "*l" + (i - 1)))).append("]\n");
        }
        return sb.toString();
    }

    private static Arguments spec(String label, BuilderSpec spec, String builder, String field) {
        return Arguments.of(label, spec, builder, field);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("badSpecs")
    void badBuilderSpecsAreRefused(String label, BuilderSpec spec, String builder, String field) {
        TvBuilderException e = rejects(vault, TvBuilderException.class, ErrorCode.BAD_BUILDER,
                builder == null ? field : "'" + builder + "'",
                v -> v.putBuilder("stories", "draft", spec, OpOptions.defaults()));
        if (builder != null) {
            assertThat(e.getMessage()).contains("'" + field + "'");
        } else {
            assertThat(e.getMessage()).contains("line");
        }
    }

    /**
     * Issue 9's repro: a whole-column range of 2^31-1 rows passed validation, then its builder pre-sized a list of
     * that many elements and threw {@code OutOfMemoryError}. It is refused here, naming the bound and the fix.
     */
    @Test
    void aRangeTooLargeToHoldInMemoryIsRefusedAtPutBuilder() {
        TvBuilderException e = rejects(vault, TvBuilderException.class, ErrorCode.BAD_BUILDER, "'stories_index'",
                v -> v.putBuilder("stories", "draft", BuilderSpec.fromYaml("name: stories_index\ntype: index\n"
                        + "builder: range\nchangedColumns: [id]\ntypes: {id: long}\narguments: {count: 2147483647}\n"),
                        OpOptions.defaults()));
        assertThat(e.getMessage()).contains("argument 'count' must be 0..10000000, got 2147483647",
                "mode generator");
    }

    @Test
    void goodSpecsAreAccepted() {
        vault.createInstance("stories", InstanceOptions.defaults().version("good"));
        try {
            vault.putBuilder("stories", "good", BuilderSpec.fromYaml("name: stories_index\ntype: index\n"
                    + "builder: range\nchangedColumns: [id, key]\nprimaryKey: [key]\nkeepOld: true\n"
                    + "types: {id: long, key: STRING}\nthreads: 4\nmode: row-wise\narguments: {n: 3}\n"
                    + "dependencies: [title]\ncodeVersion: v2\n"), OpOptions.defaults());
            vault.putBuilder("stories", "good", BuilderSpec.fromJson("{\"name\": \"summary\", \"type\": \"column\","
                    + " \"builder\": \"template\", \"changedColumns\": [\"summary\"], \"mode\": \"generator\"}"),
                    OpOptions.defaults());
            // A generator streams, so it may be as long as the engine allows; a count a reference gives is
            // checked at execution.
            vault.putBuilder("stories", "good", BuilderSpec.fromYaml("name: many\ntype: column\nbuilder: range\n"
                    + "mode: generator\nchangedColumns: [many]\narguments: {count: 2147483647}\n"),
                    OpOptions.defaults());
            vault.putBuilder("stories", "good", BuilderSpec.fromYaml("name: ref\ntype: column\nbuilder: range\n"
                    + "changedColumns: [ref]\narguments: {count: '<<other.n>>'}\n"), OpOptions.defaults());
            assertThat(vault.builders("stories", "good")).containsExactly("many", "ref", "stories_index", "summary");
        } finally {
            vault.deleteInstance("stories", "TEMP_good", OpOptions.defaults());
        }
    }

    // ---- process ids in use ---------------------------------------------------------------------------------

    private static void pause(String point, Runnable call) {
        CrashPoints.arm(point, CrashPoints.Action.THROW);
        try {
            call.run();
            fail("crash point " + point + " did not fire");
        } catch (CrashPoints.InjectedFailure expected) {
            // paused
        } finally {
            CrashPoints.disarmAll();
        }
    }

    @Test
    void resumingWithDifferentArgumentsIsRefused() {
        try (Vault v = TableVault.open(newDir(), options().create(true))) {
            v.createTable("other", TableOptions.defaults());
            pause("createTable.locked", () -> v.createTable("x", TableOptions.defaults().processId("p1")));
            assertThat(v.process("p1").state()).isEqualTo(ProcessState.PAUSED);

            // Each refusal names the argument that changed, and says how to resume or stop in the API's words.
            TvProcessException side = rejects(v, TvProcessException.class, ErrorCode.PROCESS_ARGUMENTS_CHANGED, "p1",
                    x -> x.createTable("x", TableOptions.defaults().sideEffects(true).processId("p1")));
            assertThat(side.getMessage()).contains("sideEffects was false, now true")
                    .endsWith("resume it with resumeProcess(\"p1\") or stop it with stopProcess(\"p1\")");
            assertThat(side.hint()).isEqualTo(Hint.resumeOrStop("p1"));
            assertThat(rejects(v, TvProcessException.class, ErrorCode.PROCESS_ARGUMENTS_CHANGED, "p1",
                    x -> x.createTable("x", TableOptions.defaults().description("changed").processId("p1")))
                    .getMessage()).contains("description was '', now 'changed'").doesNotContain("sideEffects");
            assertThat(rejects(v, TvProcessException.class, ErrorCode.PROCESS_ARGUMENTS_CHANGED, "p1",
                    x -> x.createTable("y", TableOptions.defaults().processId("p1"))).getMessage())
                    .contains("table was 'x', now 'y'");
            assertThat(rejects(v, TvProcessException.class, ErrorCode.PROCESS_ARGUMENTS_CHANGED, "p1",
                    x -> x.deleteTable("other", OpOptions.defaults().processId("p1"))).getMessage())
                    .contains("is a createTable, not a deleteTable");
            assertThat(v.process("p1").state()).isEqualTo(ProcessState.PAUSED);

            // The original arguments resume it.
            assertThat(v.createTable("x", TableOptions.defaults().processId("p1"))).isEqualTo("p1");
            assertThat(v.tables()).containsExactlyInAnyOrder("other", "x");
            assertThat(v.process("p1").state()).isEqualTo(ProcessState.COMMITTED);

            // A write resumed with another frame.
            v.createInstance("x", InstanceOptions.defaults().externalEdit(true));
            pause("writeInstance.commit", () -> v.writeInstance("x", FRAME, WriteOptions.defaults().processId("w1")));
            Frame changed = Frame.builder().column("id", ColumnType.LONG).column("title", ColumnType.STRING)
                    .row(1L, "one").row(2L, "two").build();
            assertThat(rejects(v, TvProcessException.class, ErrorCode.PROCESS_ARGUMENTS_CHANGED, "w1",
                    x -> x.writeInstance("x", changed, WriteOptions.defaults().processId("w1"))).getMessage())
                    .contains("frameDigest was '").doesNotContain("table was", "columns was");
            v.writeInstance("x", FRAME, WriteOptions.defaults().processId("w1"));
            assertThat(v.dataframe("x", ReadOptions.latest())).isEqualTo(FRAME);
        }
    }

    @Test
    void finishedProcessIdsCanNeverStartAgain() {
        try (Vault v = TableVault.open(newDir(), options().create(true))) {
            v.createTable("a", TableOptions.defaults().processId("done-1"));
            Throwable dup = catchThrowable(() -> v.createTable("a", TableOptions.defaults().processId("rev-1")));
            assertThat(dup).isInstanceOf(TvArgumentException.class);
            assertThat(v.process("rev-1").state()).isEqualTo(ProcessState.REVERTED);
            pause("createTable.locked", () -> v.createTable("s", TableOptions.defaults().processId("stop-1")));
            v.stopProcess("stop-1", StopOptions.defaults().processId("stopper-1"));
            assertThat(v.process("stop-1").state()).isEqualTo(ProcessState.STOPPED);

            for (String pid : List.of("done-1", "rev-1", "stop-1", "stopper-1")) {
                rejects(v, TvProcessException.class, ErrorCode.PROCESS_STATE, pid,
                        x -> x.createTable("b", TableOptions.defaults().processId(pid)));
                rejects(v, TvProcessException.class, ErrorCode.PROCESS_STATE, pid,
                        x -> x.deleteTable("a", OpOptions.defaults().processId(pid)));
                rejects(v, TvProcessException.class, ErrorCode.PROCESS_STATE, pid, x -> x.resumeProcess(pid));
                rejects(v, TvProcessException.class, ErrorCode.PROCESS_STATE, pid,
                        x -> x.stopProcess(pid, StopOptions.defaults()));
            }
            // Same arguments as it committed with: still refused.
            rejects(v, TvProcessException.class, ErrorCode.PROCESS_STATE, "done-1",
                    x -> x.createTable("a", TableOptions.defaults().processId("done-1")));
            assertThat(v.tables()).containsExactly("a");
        }
    }

    @Test
    void materializeAppliesToWritesOnly() {
        try (Vault v = TableVault.open(newDir(), options().create(true))) {
            pause("createTable.locked", () -> v.createTable("s", TableOptions.defaults().processId("p-ct")));
            rejects(v, TvArgumentException.class, ErrorCode.BAD_ARGUMENT, "p-ct",
                    x -> x.stopProcess("p-ct", StopOptions.defaults().materialize(true)));
            assertThat(v.process("p-ct").state()).isEqualTo(ProcessState.PAUSED);
        }
    }

    // ---- opening and creating -------------------------------------------------------------------------------

    /** Every file and directory under {@code dir} with its content. */
    private static Map<String, String> tree(Path dir) {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            s.forEach(p -> {
                try {
                    out.put(dir.relativize(p).toString(), Files.isDirectory(p) ? "<dir>"
                            : Arrays.toString(Files.readAllBytes(p)));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static <E extends TableVaultException> E openFails(Path dir, VaultOptions o, Class<E> type,
                                                                ErrorCode code) {
        Throwable t = catchThrowable(() -> TableVault.open(dir, o).close());
        assertThat(t).isExactlyInstanceOf(type);
        E e = type.cast(t);
        assertThat(e.code()).as(e.getMessage()).isEqualTo(code);
        assertThat(e.getMessage()).contains(dir.toString());
        return e;
    }

    @Test
    void createOnANonEmptyDirectoryIsRefusedAndLeavesItUntouched() throws IOException {
        Path dir = newDir();
        Files.createDirectories(dir.resolve("sub"));
        Files.writeString(dir.resolve("keep.txt"), "hello");
        Files.writeString(dir.resolve("sub/data.bin"), "\u0001\u0002");
        Map<String, String> before = tree(dir);
        openFails(dir, options().create(true), TvArgumentException.class, ErrorCode.ALREADY_EXISTS);
        assertThat(tree(dir)).isEqualTo(before);
    }

    @Test
    void createOnAFileIsRefusedAndLeavesItUntouched() throws IOException {
        Path file = newDir();
        Files.writeString(file, "not a vault");
        openFails(file, options().create(true), TvArgumentException.class, ErrorCode.ALREADY_EXISTS);
        assertThat(Files.isRegularFile(file)).isTrue();
        assertThat(Files.readString(file)).isEqualTo("not a vault");
    }

    @Test
    void createOnAnExistingVaultIsRefusedAndKeepsIt() {
        Path dir = newDir();
        VaultContents contents;
        try (Vault v = TableVault.open(dir, options().create(true))) {
            v.createTable("t", TableOptions.defaults());
            contents = VaultContents.of(v);
        }
        Map<String, String> before = tree(dir);
        openFails(dir, options().create(true), TvArgumentException.class, ErrorCode.ALREADY_EXISTS);
        assertThat(tree(dir)).isEqualTo(before);
        try (Vault v = TableVault.open(dir, options())) {
            assertThat(VaultContents.of(v)).isEqualTo(contents);
        }
    }

    @Test
    void openOfAMissingPathIsNotFoundAndCreatesNothing() {
        Path dir = newDir();
        openFails(dir, options(), TvArgumentException.class, ErrorCode.NOT_FOUND);
        assertThat(dir).doesNotExist();
        openFails(dir, options().readOnly(true), TvArgumentException.class, ErrorCode.NOT_FOUND);
        assertThat(dir).doesNotExist();
    }

    /** RocksDB's JNI binding cannot pass such a path: the open used to make the directory, then fail with IO. */
    @Test
    void aPathWithCharactersBeyondTheBmpIsRefusedAndCreatesNothing() {
        Path dir = newDir().resolve("vault-\ud83d\ude00");
        openFails(dir, options().create(true), TvArgumentException.class, ErrorCode.BAD_ARGUMENT);
        assertThat(dir).doesNotExist();
        openFails(dir, options(), TvArgumentException.class, ErrorCode.BAD_ARGUMENT);
        assertThat(dir.getParent()).doesNotExist();
    }

    @Test
    void openOfANonVaultDirectoryIsRefusedAndLeavesItUntouched() throws IOException {
        Path dir = newDir();
        Files.createDirectories(dir);
        openFails(dir, options(), TvArgumentException.class, ErrorCode.BAD_ARGUMENT);
        assertThat(tree(dir)).containsOnlyKeys("");
        Files.writeString(dir.resolve("notes.txt"), "x");
        Map<String, String> before = tree(dir);
        openFails(dir, options(), TvArgumentException.class, ErrorCode.BAD_ARGUMENT);
        openFails(dir, options().readOnly(true), TvArgumentException.class, ErrorCode.BAD_ARGUMENT);
        assertThat(tree(dir)).isEqualTo(before);
    }

    @Test
    void openOfAFileIsRefused() throws IOException {
        Path file = newDir();
        Files.writeString(file, "x");
        openFails(file, options(), TvArgumentException.class, ErrorCode.BAD_ARGUMENT);
        assertThat(Files.readString(file)).isEqualTo("x");
    }

    @Test
    void readOnlyWithCreateOrRestartIsRefused() {
        Path dir = newDir();
        openFails(dir, options().readOnly(true).create(true), TvArgumentException.class, ErrorCode.BAD_ARGUMENT);
        assertThat(dir).doesNotExist();
        TableVault.open(dir, options().create(true)).close();
        Map<String, String> before = tree(dir);
        openFails(dir, options().readOnly(true).restart(true), TvArgumentException.class, ErrorCode.BAD_ARGUMENT);
        assertThat(tree(dir)).isEqualTo(before);
    }

    @Test
    void writesOnAReadOnlyVaultAreRefused() {
        Path dir = newDir();
        try (Vault v = TableVault.open(dir, options().create(true))) {
            v.createTable("t", TableOptions.defaults());
            v.createInstance("t", InstanceOptions.defaults().version("draft"));
        }
        try (Vault v = TableVault.open(dir, options().readOnly(true))) {
            rejects(v, TvStorageException.class, ErrorCode.READ_ONLY, dir.toString(),
                    x -> x.createTable("u", TableOptions.defaults()));
            rejects(v, TvStorageException.class, ErrorCode.READ_ONLY, dir.toString(),
                    x -> x.deleteTable("t", OpOptions.defaults()));
            rejects(v, TvStorageException.class, ErrorCode.READ_ONLY, dir.toString(),
                    x -> x.putBuilder("t", "draft", BuilderSpec.fromYaml(
                            "name: t_index\ntype: index\nbuilder: range\nchangedColumns: [id]\n"), OpOptions.defaults()));
            rejects(v, TvStorageException.class, ErrorCode.READ_ONLY, dir.toString(),
                    x -> x.resumeProcess("some-process"));
            assertThat(v.tables()).containsExactly("t");
        }
    }

    @Test
    void callsOnAClosedVaultAreRefused() {
        Path dir = newDir();
        Vault v = TableVault.open(dir, options().create(true));
        v.createTable("t", TableOptions.defaults());
        v.close();
        v.close();
        for (VaultCall call : List.<VaultCall>of(x -> x.createTable("u", TableOptions.defaults()),
                x -> x.tables(), x -> x.dataframe("t", ReadOptions.latest()), x -> x.activeProcesses(),
                x -> x.locks())) {
            Throwable t = catchThrowable(() -> call.run(v));
            assertThat(t).isExactlyInstanceOf(TvStorageException.class);
            assertThat(((TvStorageException) t).code()).isEqualTo(ErrorCode.VAULT_CLOSED);
            assertThat(t.getMessage()).contains(dir.toString());
        }
        try (Vault again = TableVault.open(dir, options())) {
            assertThat(again.tables()).containsExactly("t");
        }
    }
}
