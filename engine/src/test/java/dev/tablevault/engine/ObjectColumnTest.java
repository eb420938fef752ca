package dev.tablevault.engine;

import dev.tablevault.api.BuildContext;
import dev.tablevault.api.BuilderSpec;
import dev.tablevault.api.Column;
import dev.tablevault.api.ColumnType;
import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.ExecuteOptions;
import dev.tablevault.api.Frame;
import dev.tablevault.api.GeneratorBuilder;
import dev.tablevault.api.InstanceOptions;
import dev.tablevault.api.OpOptions;
import dev.tablevault.api.ReadOptions;
import dev.tablevault.api.RowBuilder;
import dev.tablevault.api.RowCursor;
import dev.tablevault.api.TableOptions;
import dev.tablevault.api.TvArgumentException;
import dev.tablevault.api.TvBuilderException;
import dev.tablevault.api.Vault;
import dev.tablevault.api.VaultOptions;
import dev.tablevault.api.WriteOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * OBJECT columns end to end: {@code writeInstance} and read back (frame and cursor) equal, changed-column
 * detection against an origin by {@code equals}, an execution whose builders produce and read OBJECT values
 * ({@code types: {col: object}}), and values that cannot be stored refused with a typed error that changes
 * nothing.
 */
@ParameterizedClass
@EnumSource(TestBackend.class)
class ObjectColumnTest {
    private static final String T = "things";
    private static final int ROWS = 2_500;

    @Parameter
    TestBackend backend;

    @TempDir
    Path dir;

    /** Row-wise: a record per row, a null every seventh row. */
    static final RowBuilder POINTS = (ctx, row) -> {
        long id = (Long) ctx.value("id", row);
        List<Object> tags = new ArrayList<>(List.of("row", id));
        return Collections.singletonList(row % 7 == 3 ? null : new RandomObjects.Point((int) id, "p" + id, tags));
    };

    /** Generator: reads the OBJECT column {@code point} built before it and wraps it in a map. */
    static final GeneratorBuilder WRAPPED = (ctx, firstRow, sink) -> {
        for (long r = firstRow; r < ctx.rowCount(); r++) {
            Object p = ctx.value("point", r);
            sink.accept(List.of(p == null ? Map.of("row", r) : Map.of("row", r, "point", p)));
        }
    };

    /** Returns a value that writes but does not read back, at row 1234. */
    static final RowBuilder UNSTORABLE = (ctx, row) -> Collections.singletonList(
            row == 1234 ? Collections.unmodifiableList(new ArrayList<>(List.of(row))) : List.of(row));

    private Vault open() {
        return backend.vault(dir, "v").create(VaultOptions.defaults().author("t")
                .builder("points", POINTS).builder("wrapped", WRAPPED).builder("unstorable", UNSTORABLE));
    }

    private static Frame frame(long seed) {
        Random r = new Random(seed);
        List<Object> ids = new ArrayList<>();
        List<Object> objects = new ArrayList<>();
        for (int i = 0; i < ROWS; i++) {
            ids.add((long) i);
            objects.add(r.nextInt(5) == 0 ? null : RandomObjects.value(r));
        }
        return Frame.ofColumns(List.of(new Column("id", ColumnType.LONG), new Column("payload", ColumnType.OBJECT)),
                List.of(ids, objects));
    }

    private static String write(Vault v, String version, String origin, Frame f) {
        v.createInstance(T, InstanceOptions.defaults().version(version).externalEdit(true).originId(origin));
        v.writeInstance(T, f, WriteOptions.defaults().version(version));
        return v.instances(T, version, false).get(0);
    }

    @ParameterizedTest(name = "[{index}] seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void writtenObjectsReadBackEqualAsFrameAndThroughACursor(long seed) {
        Frame f = frame(seed);
        try (Vault v = open()) {
            v.createTable(T, TableOptions.defaults());
            write(v, "base", null, f);
            Frame back = v.dataframe(T, ReadOptions.latest());
            assertThat(back.columns()).isEqualTo(f.columns());
            assertThat(back).isEqualTo(f);
            try (RowCursor rows = v.rows(T, ReadOptions.latest())) {
                for (int r = 0; r < ROWS; r++) {
                    assertThat(Frame.valueEquals(rows.next().get(1), f.get(r, 1))).as("row %d", r).isTrue();
                }
                assertThat(rows.hasNext()).isFalse();
            }
        }
    }

    @Test
    void anObjectColumnIsChangedOnlyWhenAValueIsNotEqual() {
        Frame f = frame(4);
        try (Vault v = open()) {
            v.createTable(T, TableOptions.defaults());
            String base = write(v, "base", null, f);
            String same = write(v, "same", base, frame(4));
            assertThat(v.description(T, same).changedColumns()).isEmpty();

            List<Object> payload = new ArrayList<>(f.column("payload"));
            payload.set(ROWS - 1, new RandomObjects.Point(1, "different", List.of()));
            Frame one = Frame.ofColumns(f.columns(), List.of(f.column("id"), payload));
            String changed = write(v, "changed", base, one);
            assertThat(v.description(T, changed).changedColumns()).containsExactly("payload");
        }
    }

    @Test
    void aValueThatCannotBeStoredIsRefusedAndChangesNothing() {
        List<Object> payload = new ArrayList<>(frame(5).column("payload"));
        payload.set(1500, Collections.unmodifiableMap(new java.util.HashMap<>(Map.of("a", 1))));
        Frame f = Frame.ofColumns(frame(5).columns(), List.of(frame(5).column("id"), payload));
        try (Vault v = open()) {
            v.createTable(T, TableOptions.defaults());
            v.createInstance(T, InstanceOptions.defaults().externalEdit(true));
            TvArgumentException e = catchThrowableOfType(
                    () -> v.writeInstance(T, f, WriteOptions.defaults()), TvArgumentException.class);
            assertThat(e.code()).isEqualTo(ErrorCode.BAD_ARGUMENT);
            assertThat(e.getMessage()).contains("column 'payload'", "row 1500",
                    "java.util.Collections$UnmodifiableMap", "cannot read it back", "STRING or BYTES");
            assertThat(v.instances(T, null, true)).containsExactly("TEMP_base");
            assertThat(v.activeProcesses()).isEmpty();
            assertThat(v.locks()).isEmpty();
        }
    }

    private static void setup(Vault v, String... columnSpecs) {
        v.createTable(T, TableOptions.defaults());
        v.createInstance(T, InstanceOptions.defaults());
        v.putBuilder(T, "base", BuilderSpec.fromYaml("name: things_index\ntype: index\nbuilder: range\n"
                + "changedColumns: [id]\ntypes: {id: long}\narguments: {count: " + ROWS + "}\n"), OpOptions.defaults());
        for (String s : columnSpecs) {
            v.putBuilder(T, "base", BuilderSpec.fromYaml(s), OpOptions.defaults());
        }
    }

    @Test
    void anExecutionBuildsReadsAndStoresObjectColumns() {
        try (Vault v = open()) {
            setup(v, "name: point\ntype: column\nbuilder: points\nchangedColumns: [point]\n"
                            + "types: {point: object}\ndependencies: [things_index]\nthreads: 2\n",
                    "name: wrapped\ntype: column\nbuilder: wrapped\nmode: generator\nchangedColumns: [wrapped]\n"
                            + "types: {wrapped: object}\ndependencies: [point]\n");
            v.executeInstance(T, ExecuteOptions.defaults().checkpointRows(700));
            Frame f = v.dataframe(T, ReadOptions.latest());
            assertThat(f.columns()).containsExactly(new Column("id", ColumnType.LONG),
                    new Column("point", ColumnType.OBJECT), new Column("wrapped", ColumnType.OBJECT));
            for (int r = 0; r < ROWS; r++) {
                Object point = r % 7 == 3 ? null
                        : new RandomObjects.Point(r, "p" + r, new ArrayList<>(List.of("row", (long) r)));
                assertThat(f.get(r, 1)).as("row %d", r).isEqualTo(point);
                assertThat(f.get(r, 2)).as("row %d", r).isEqualTo(point == null ? Map.of("row", (long) r)
                        : Map.of("row", (long) r, "point", point));
            }
        }
    }

    @Test
    void aBuilderValueThatCannotBeStoredIsABuilderErrorThatReverts() {
        try (Vault v = open()) {
            setup(v, "name: bad\ntype: column\nbuilder: unstorable\nchangedColumns: [bad]\n"
                    + "types: {bad: object}\ndependencies: [things_index]\n");
            String pid = v.generateProcessId();
            TvBuilderException e = catchThrowableOfType(() -> v.executeInstance(T,
                    ExecuteOptions.defaults().processId(pid).checkpointRows(500)), TvBuilderException.class);
            assertThat(e.code()).isEqualTo(ErrorCode.BAD_BUILDER);
            assertThat(e.getMessage()).contains("builder 'bad'", "OBJECT column 'bad'", "row 1234",
                    "java.util.Collections$UnmodifiableRandomAccessList", "cannot read it back");
            assertThat(v.activeProcesses()).as("an engine error reverts even with a process id").isEmpty();
            assertThat(v.instances(T, null, false)).isEmpty();
            assertThat(v.locks()).isEmpty();
        }
    }
}
