package dev.tablevault.engine;

import dev.tablevault.api.BuildContext;
import dev.tablevault.api.BuilderSpec;
import dev.tablevault.api.Column;
import dev.tablevault.api.ColumnType;
import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.ExecuteOptions;
import dev.tablevault.api.Frame;
import dev.tablevault.api.InstanceDescription;
import dev.tablevault.api.InstanceOptions;
import dev.tablevault.api.LockMode;
import dev.tablevault.api.OpOptions;
import dev.tablevault.api.ReadOptions;
import dev.tablevault.api.RowBuilder;
import dev.tablevault.api.StopOptions;
import dev.tablevault.api.TableOptions;
import dev.tablevault.api.TvBuilderException;
import dev.tablevault.api.TvLockException;
import dev.tablevault.api.Vault;
import dev.tablevault.api.VaultOptions;
import dev.tablevault.api.WriteOptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * References in executions: values resolved per row and for whole columns, dependencies derived and recorded,
 * shared locks on the instances read, resolution fixed at the start (a resume reads the same instances), and
 * bad references refused with nothing changed.
 */
@ParameterizedClass
@EnumSource(TestBackend.class)
class ReferenceExecutionTest {
    @Parameter
    TestBackend backend;

    @TempDir
    Path dir;

    private TestVault home;

    @BeforeEach
    void place() {
        home = backend.vault(dir, "v");
    }

    /** Echoes its resolved arguments; fails at the rows in {@code fail} while it holds them. */
    static final class Echo implements RowBuilder {
        final Map<Long, Boolean> fail = new ConcurrentHashMap<>();
        final Map<Long, Map<String, Object>> seen = new ConcurrentHashMap<>();

        @Override
        public List<Object> build(BuildContext ctx, long row) {
            seen.put(row, ctx.arguments());
            if (fail.remove(row) != null) {
                throw new IllegalStateException("service down at row " + row);
            }
            return List.of(String.valueOf(ctx.arguments().get("v")));
        }
    }

    private final Echo echo = new Echo();

    private Vault open() {
        return home.open(VaultOptions.defaults().create(!home.exists()).lockTimeout(Duration.ZERO)
                .builder("echo", echo));
    }

    private static String orders(Vault v, long... totals) {
        if (!v.tables().contains("orders")) {
            v.createTable("orders", TableOptions.defaults());
        }
        v.createInstance("orders", InstanceOptions.defaults().version("v1").externalEdit(true));
        Frame.Builder f = Frame.builder().column("id", ColumnType.LONG).column("customer", ColumnType.STRING)
                .column("total", ColumnType.LONG);
        for (int i = 0; i < totals.length; i++) {
            f.row(100L + i, i % 2 == 0 ? "ann" : "bob", totals[i]);
        }
        v.writeInstance("orders", f.build(), WriteOptions.defaults().version("v1"));
        List<String> ids = v.instances("orders", "v1", false);
        return ids.get(ids.size() - 1);
    }

    private static void report(Vault v, String... columnSpecs) {
        v.createTable("report", TableOptions.defaults());
        v.createInstance("report", InstanceOptions.defaults().version("r"));
        v.putBuilder("report", "r", BuilderSpec.fromYaml("name: report_index\ntype: index\nbuilder: copy\n"
                + "changedColumns: [oid]\ntypes: {oid: long}\narguments: {from: '<<orders.id>>'}\n"), OpOptions.defaults());
        for (String s : columnSpecs) {
            v.putBuilder("report", "r", BuilderSpec.fromYaml(s), OpOptions.defaults());
        }
    }

    private static final String TOTAL = "name: total\ntype: column\nbuilder: template\nchangedColumns: [total]\n"
            + "types: {total: long}\narguments: {template: '<<orders.total[id::<<self.oid[index]>>]>>'}\n";
    private static final String LABEL = "name: label\ntype: column\nbuilder: template\nchangedColumns: [label]\n"
            + "arguments: {template: 'order <<self.oid[index]>> of <<orders(v1).customer[id::<<self.oid[index]>>]>>"
            + " (total <<self.total[index]>>, all ann: <<orders.total[customer::ann]>>)'}\n";

    @Test
    void referencesResolvePerRowAndForWholeColumns() {
        try (Vault v = open()) {
            String o = orders(v, 5, 7, 9);
            report(v, TOTAL, LABEL);
            v.executeInstance("report", ExecuteOptions.defaults().version("r"));
            Frame f = v.dataframe("report", ReadOptions.latest());
            assertThat(f.column("oid")).containsExactly(100L, 101L, 102L);
            assertThat(f.column("total")).containsExactly(5L, 7L, 9L);
            assertThat(f.column("label")).containsExactly("order 100 of ann (total 5, all ann: [5, 9])",
                    "order 101 of bob (total 7, all ann: [5, 9])", "order 102 of ann (total 9, all ann: [5, 9])");
            InstanceDescription d = v.description("report", v.instances("report", null, false).get(0));
            assertThat(d.dependencies()).containsExactly("orders/" + o);
            assertThat(v.builder("report", d.id(), "label").text()).contains("<<orders(v1)");
        }
    }

    @Test
    void aPausedExecutionHoldsSharedLocksOnWhatItReadsAndResumesOnTheSameInstances() {
        String first;
        try (Vault v = open()) {
            first = orders(v, 1, 2, 3, 4);
            report(v, "name: note\ntype: column\nbuilder: echo\nchangedColumns: [note]\n"
                    + "arguments: {v: '<<orders.total[id::<<self.oid[index]>>]>>'}\n");
            echo.fail.put(2L, true);
            catchThrowableOfType(() -> v.executeInstance("report", ExecuteOptions.defaults().version("r")
                    .processId("ref-1").checkpointRows(1)), IllegalStateException.class);
            assertThat(v.locks()).anySatisfy(l -> {
                assertThat(l.resource()).isEqualTo("instance:orders/" + first);
                assertThat(l.mode()).isEqualTo(LockMode.SHARED);
                assertThat(l.processId()).isEqualTo("ref-1");
            });
            TvLockException e = catchThrowableOfType(() -> v.deleteInstance("orders", first, OpOptions.defaults()),
                    TvLockException.class);
            assertThat(e.getMessage()).contains("ref-1").contains("service down at row 2");
            // A newer orders instance appears; the paused execution keeps reading the one it started with.
            orders(v, 10, 20, 30, 40);
        }
        echo.seen.clear();
        try (Vault v = open()) {
            v.executeInstance("report", ExecuteOptions.defaults().version("r").processId("ref-1").checkpointRows(1));
            assertThat(echo.seen.keySet()).containsExactlyInAnyOrder(2L, 3L);
            assertThat(v.dataframe("report", ReadOptions.latest()).column("note")).containsExactly("1", "2", "3", "4");
            assertThat(v.description("report", v.instances("report", null, false).get(0)).dependencies())
                    .containsExactly("orders/" + first);
            assertThat(v.locks()).isEmpty();
            v.deleteInstance("orders", first, OpOptions.defaults());
        }
    }

    @Test
    void stoppingAPausedExecutionReleasesTheSharedLocks() {
        try (Vault v = open()) {
            String o = orders(v, 1, 2);
            report(v, "name: note\ntype: column\nbuilder: echo\nchangedColumns: [note]\n"
                    + "arguments: {v: '<<orders.total[index]>>'}\n");
            echo.fail.put(0L, true);
            catchThrowableOfType(() -> v.executeInstance("report", ExecuteOptions.defaults().version("r")
                    .processId("ref-2")), IllegalStateException.class);
            v.stopProcess("ref-2", StopOptions.defaults());
            assertThat(v.locks()).isEmpty();
            v.deleteInstance("orders", o, OpOptions.defaults());
        }
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "arguments: {template: '<<orders.total[id::]>>'}|bad table reference at position 19",
        "arguments: {template: '<<<<orders.customer[index::0]>>.id>>'}|unclear dependencies",
        "arguments: {template: '<<self>>'}|reads every column of self",
        "mode: whole-column\\narguments: {template: '<<self.index>>'}|only a row-wise builder has",
        "arguments: {template: '<<orders.{a,b}[x::1:2:3]>>'}|expected ']'"})
    void badReferencesAreRefusedAtPutWithNothingChanged(String extra, String message) {
        try (Vault v = open()) {
            orders(v, 1);
            report(v);
            VaultContents before = VaultContents.of(v);
            TvBuilderException e = catchThrowableOfType(() -> v.putBuilder("report", "r", BuilderSpec.fromYaml(
                    "name: bad\ntype: column\nbuilder: template\nchangedColumns: [x]\n" + extra.replace("\\n", "\n")
                    + "\n"),
                    OpOptions.defaults()), TvBuilderException.class);
            assertThat(e.getMessage()).contains("bad").contains(message);
            assertThat(VaultContents.of(v)).isEqualTo(before);
        }
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "'<<missing.x>>'|reads table 'missing', which does not exist",
        "'<<orders(v9).total>>'|which has no materialized, successful, active instance",
        "'<<orders.nope[index]>>'|names column 'nope'",
        "'<<orders.total[id::abc]>>'|'abc' is not a LONG"})
    void referencesThatCannotResolveRevertTheExecution(String template, String message) {
        try (Vault v = open()) {
            orders(v, 1, 2);
            report(v, "name: x\ntype: column\nbuilder: template\nchangedColumns: [x]\narguments: {template: "
                    + template + "}\n");
            VaultContents before = VaultContents.of(v);
            TvBuilderException e = catchThrowableOfType(() -> v.executeInstance("report", ExecuteOptions.defaults()
                    .version("r").processId("bad-ref")), TvBuilderException.class);
            assertThat(e.code()).isEqualTo(ErrorCode.BAD_REFERENCE);
            assertThat(e.getMessage()).contains(message);
            assertThat(v.activeProcesses()).isEmpty();
            assertThat(v.locks()).isEmpty();
            VaultContents after = VaultContents.of(v);
            assertThat(after.tables()).isEqualTo(before.tables());
            assertThat(after.instances().keySet()).isEqualTo(before.instances().keySet());
        }
    }

    @Test
    void copyBuildsAnIndexFromAnotherTableAndColumnsByPosition() {
        try (Vault v = open()) {
            orders(v, 3, 4);
            v.createTable("c", TableOptions.defaults());
            v.createInstance("c", InstanceOptions.defaults().version("x"));
            v.putBuilder("c", "x", BuilderSpec.fromYaml("name: c_index\ntype: index\nbuilder: copy\n"
                    + "changedColumns: [k, who]\ntypes: {k: long}\narguments: {from: '<<orders(v1).{id,customer}>>'}\n"),
                    OpOptions.defaults());
            v.putBuilder("c", "x", BuilderSpec.fromYaml("name: t\ntype: column\nbuilder: copy\nmode: whole-column\n"
                    + "changedColumns: [t]\ntypes: {t: double}\narguments: {from: '<<orders.total>>'}\n"),
                    OpOptions.defaults());
            v.executeInstance("c", ExecuteOptions.defaults().version("x"));
            Frame f = v.dataframe("c", ReadOptions.latest());
            assertThat(f.columns()).containsExactly(new Column("k", ColumnType.LONG), new Column("who",
                    ColumnType.STRING), new Column("t", ColumnType.DOUBLE));
            assertThat(f.row(1)).containsExactly(101L, "bob", 4.0);
        }
    }
}
