package dev.tablevault.engine;

import dev.tablevault.api.BuildContext;
import dev.tablevault.api.BuilderSpec;
import dev.tablevault.api.ColumnType;
import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.ExecuteOptions;
import dev.tablevault.api.Frame;
import dev.tablevault.api.InstanceDescription;
import dev.tablevault.api.InstanceOptions;
import dev.tablevault.api.OpOptions;
import dev.tablevault.api.ReadOptions;
import dev.tablevault.api.RowBuilder;
import dev.tablevault.api.StopOptions;
import dev.tablevault.api.TableOptions;
import dev.tablevault.api.TvBuilderException;
import dev.tablevault.api.Vault;
import dev.tablevault.api.VaultOptions;
import dev.tablevault.api.WriteOptions;
import dev.tablevault.engine.store.Backend;
import dev.tablevault.engine.store.Family;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Re-execution from an origin: only builders whose spec, code version or dependency data changed run; rows
 * align on the primary key; {@code keepOld} keeps origin rows; a partial origin is completed; a paused
 * re-execution resumes; {@code force} recomputes everything.
 */
@ParameterizedClass
@EnumSource(TestBackend.class)
class IncrementalExecutionTest {
    private static final String T = "docs";

    @Parameter
    TestBackend backend;

    @TempDir
    Path dir;

    private TestVault home;

    @BeforeEach
    void place() {
        home = backend.vault(dir, "v");
    }

    /** Records every (builder, row) call; value = builder:salt:id[:other column]. Fails at rows in {@code fail}. */
    static final class Tagged implements RowBuilder {
        final Map<String, Set<Long>> calls = new ConcurrentHashMap<>();
        final Set<Long> fail = ConcurrentHashMap.newKeySet();

        @Override
        public List<Object> build(BuildContext ctx, long row) {
            calls.computeIfAbsent(ctx.builderName(), b -> ConcurrentHashMap.newKeySet()).add(row);
            if (fail.remove(row)) {
                throw new IllegalStateException("service down at row " + row);
            }
            Object other = ctx.arguments().get("after");
            return List.of(ctx.builderName() + ":" + ctx.arguments().get("salt") + ":" + ctx.value("id", row)
                    + (other == null ? "" : ":" + ctx.value(other.toString(), row)));
        }

        Map<String, Set<Long>> take() {
            Map<String, Set<Long>> out = new TreeMap<>();
            calls.forEach((k, v) -> out.put(k, new TreeSet<>(v)));
            calls.clear();
            return out;
        }
    }

    private final Tagged tagged = new Tagged();

    private Vault open() {
        return home.open(VaultOptions.defaults().create(!home.exists())
                .lockTimeout(Duration.ZERO).builder("tagged", tagged));
    }

    private static BuilderSpec index(long start, long count, boolean keepOld) {
        return BuilderSpec.fromYaml("name: docs_index\ntype: index\nbuilder: range\nchangedColumns: [id]\n"
                + "types: {id: long}\nprimaryKey: [id]\nkeepOld: " + keepOld + "\narguments: {start: " + start
                + ", count: " + count + "}\n");
    }

    private static BuilderSpec col(String name, String salt, String extra) {
        return BuilderSpec.fromYaml("name: " + name + "\ntype: column\nbuilder: tagged\nchangedColumns: [" + name
                + "]\narguments: {salt: " + salt + "}\n" + extra);
    }

    /** Index of {@code count} rows and columns a..e; e reads d. Returns the executed instance id. */
    private String first(Vault v, int count) {
        v.createTable(T, TableOptions.defaults());
        v.createInstance(T, InstanceOptions.defaults().version("v1"));
        v.putBuilder(T, "v1", index(0, count, false), OpOptions.defaults());
        for (String c : List.of("a", "b", "c", "d")) {
            v.putBuilder(T, "v1", col(c, "s1", ""), OpOptions.defaults());
        }
        v.putBuilder(T, "v1", BuilderSpec.fromYaml("name: e\ntype: column\nbuilder: tagged\nchangedColumns: [e]\n"
                + "arguments: {salt: s1, after: d}\ndependencies: [self.d]\n"), OpOptions.defaults());
        v.executeInstance(T, ExecuteOptions.defaults().version("v1"));
        return latest(v);
    }

    private static String latest(Vault v) {
        List<String> ids = v.instances(T, null, false);
        return ids.get(ids.size() - 1);
    }

    private static Set<Long> rows(long from, long to) {
        Set<Long> s = new TreeSet<>();
        for (long r = from; r < to; r++) {
            s.add(r);
        }
        return s;
    }

    private static String next(Vault v, String origin) {
        v.createInstance(T, InstanceOptions.defaults().version("v2").originId(origin));
        return "v2";
    }

    @Test
    void onlyTheChangedBuilderAndWhatDependsOnItRun() {
        try (Vault v = open()) {
            String o = first(v, 50);
            assertThat(tagged.take().keySet()).containsExactly("a", "b", "c", "d", "e");
            next(v, o);
            v.putBuilder(T, "v2", col("b", "s2", ""), OpOptions.defaults());
            v.executeInstance(T, ExecuteOptions.defaults().version("v2").checkpointRows(7));
            assertThat(tagged.take()).isEqualTo(Map.of("b", rows(0, 50)));
            Frame f = v.dataframe(T, ReadOptions.latest());
            assertThat(f.column("b").get(3)).isEqualTo("b:s2:3");
            assertThat(f.column("a").get(3)).isEqualTo("a:s1:3");
            assertThat(f.column("e").get(49)).isEqualTo("e:s1:49:d:s1:49");
            InstanceDescription d = v.description(T, latest(v));
            assertThat(d.changedColumns()).containsExactly("b");
            assertThat(d.originId()).isEqualTo(o);

            // d changes: e depends on it and runs again; nothing else.
            String o2 = latest(v);
            v.createInstance(T, InstanceOptions.defaults().version("v3").originId(o2));
            v.putBuilder(T, "v3", col("d", "s3", ""), OpOptions.defaults());
            v.executeInstance(T, ExecuteOptions.defaults().version("v3"));
            assertThat(tagged.take()).isEqualTo(Map.of("d", rows(0, 50), "e", rows(0, 50)));
            assertThat(v.dataframe(T, ReadOptions.latest()).column("e").get(7)).isEqualTo("e:s1:7:d:s3:7");
        }
    }

    @Test
    void aCodeVersionChangeRecomputesAndAnUnchangedReExecutionComputesNothing() {
        try (Vault v = open()) {
            String o = first(v, 20);
            tagged.take();
            next(v, o);
            v.executeInstance(T, ExecuteOptions.defaults().version("v2"));
            assertThat(tagged.take()).isEmpty();
            assertThat(v.description(T, latest(v)).changedColumns()).isEmpty();
            assertThat(v.dataframe(T, ReadOptions.latest())).isEqualTo(v.dataframe(T, ReadOptions.id(o)));

            v.createInstance(T, InstanceOptions.defaults().version("v3").originId(latest(v)));
            v.putBuilder(T, "v3", col("c", "s1", "codeVersion: '2'\n"), OpOptions.defaults());
            v.executeInstance(T, ExecuteOptions.defaults().version("v3"));
            assertThat(tagged.take()).isEqualTo(Map.of("c", rows(0, 20)));
        }
    }

    @Test
    void withoutAnOriginTheLatestInstanceOfTheVersionIsUsedAndForceRecomputesAll() {
        try (Vault v = open()) {
            first(v, 10);
            tagged.take();
            v.createInstance(T, InstanceOptions.defaults().version("v1"));
            v.putBuilder(T, "v1", index(0, 10, false), OpOptions.defaults());
            for (String c : List.of("a", "b", "c", "d")) {
                v.putBuilder(T, "v1", col(c, c.equals("a") ? "new" : "s1", ""), OpOptions.defaults());
            }
            v.putBuilder(T, "v1", BuilderSpec.fromYaml("name: e\ntype: column\nbuilder: tagged\nchangedColumns: [e]\n"
                    + "arguments: {salt: s1, after: d}\ndependencies: [self.d]\n"), OpOptions.defaults());
            v.executeInstance(T, ExecuteOptions.defaults().version("v1"));
            assertThat(tagged.take()).isEqualTo(Map.of("a", rows(0, 10)));
            String chosen = v.instances(T, null, false).get(0);
            assertThat(v.description(T, latest(v)).originId()).isEqualTo(chosen); // the origin it chose

            v.createInstance(T, InstanceOptions.defaults().version("v1").copy(true));
            v.executeInstance(T, ExecuteOptions.defaults().version("v1").force(true));
            assertThat(tagged.take().keySet()).containsExactly("a", "b", "c", "d", "e");
        }
    }

    @ParameterizedTest(name = "keepOld {0}")
    @ValueSource(booleans = {false, true})
    void rowsAlignOnThePrimaryKeyAndKeepOldKeepsTheRest(boolean keepOld) {
        try (Vault v = open()) {
            String o = first(v, 3000);
            Frame before = v.dataframe(T, ReadOptions.id(o));
            tagged.take();
            next(v, o);
            // ids 2000..4499: 1000 carried over, 1500 new, and ids 0..1999 gone (or kept).
            v.putBuilder(T, "v2", index(2000, 2500, keepOld), OpOptions.defaults());
            v.executeInstance(T, ExecuteOptions.defaults().version("v2").checkpointRows(1000));
            Map<String, Set<Long>> calls = tagged.take();
            assertThat(calls.keySet()).containsExactly("a", "b", "c", "d", "e");
            assertThat(calls.get("a")).isEqualTo(rows(1000, 2500));
            Frame f = v.dataframe(T, ReadOptions.latest());
            assertThat(f.rowCount()).isEqualTo(keepOld ? 4500 : 2500);
            for (int r = 0; r < f.rowCount(); r++) {
                long id = (Long) f.column("id").get(r);
                assertThat(id).isEqualTo(r < 2500 ? 2000 + r : r - 2500);
                assertThat(f.column("a").get(r)).isEqualTo(id < 3000 ? before.column("a").get((int) id)
                        : "a:s1:" + id);
                assertThat(f.column("e").get(r)).isEqualTo("e:s1:" + id + ":d:s1:" + id);
            }
            assertThat(v.description(T, latest(v)).changedColumns()).containsExactly("id", "a", "b", "c", "d", "e");
        }
    }

    @Test
    void aPartialOriginIsCompletedWithoutRecomputingWhatItHolds() {
        try (Vault v = open()) {
            v.createTable(T, TableOptions.defaults());
            v.createInstance(T, InstanceOptions.defaults().version("v1"));
            v.putBuilder(T, "v1", index(0, 100, false), OpOptions.defaults());
            v.putBuilder(T, "v1", col("a", "s1", ""), OpOptions.defaults());
            tagged.fail.add(60L);
            catchThrowableOfType(() -> v.executeInstance(T, ExecuteOptions.defaults().version("v1").processId("p1")
                    .checkpointRows(10)), IllegalStateException.class);
            v.stopProcess("p1", StopOptions.defaults().materialize(true));
            String partial = latest(v);
            assertThat(v.description(T, partial).success()).isFalse();
            tagged.take();

            v.createInstance(T, InstanceOptions.defaults().version("v1").originId(partial));
            v.executeInstance(T, ExecuteOptions.defaults().version("v1"));
            assertThat(tagged.take()).isEqualTo(Map.of("a", rows(60, 100)));
            List<Object> a = v.dataframe(T, ReadOptions.latest()).column("a");
            for (int r = 0; r < 100; r++) {
                assertThat(a.get(r)).isEqualTo("a:s1:" + r);
            }
            assertThat(v.description(T, latest(v)).success()).isTrue();
        }
    }

    @Test
    void aPausedReExecutionResumesWithoutRecomputingCommittedRows() {
        String o;
        try (Vault v = open()) {
            o = first(v, 40);
            tagged.take();
            next(v, o);
            v.putBuilder(T, "v2", index(20, 40, true), OpOptions.defaults());
            v.putBuilder(T, "v2", col("c", "s9", ""), OpOptions.defaults());
            tagged.fail.add(30L);
            catchThrowableOfType(() -> v.executeInstance(T, ExecuteOptions.defaults().version("v2").processId("p2")
                    .checkpointRows(4)), IllegalStateException.class);
        }
        Map<String, Set<Long>> beforePause = tagged.take();
        try (Vault v = home.open(VaultOptions.defaults().restart(true)
                .builder("tagged", tagged))) {
            Map<String, Set<Long>> after = tagged.take();
            // Rows 0..19 (ids 20..39) come from the origin for a, b, d, e; ids 40..59 are new for every builder.
            Set<Long> all = new TreeSet<>();
            beforePause.getOrDefault("a", Set.of()).forEach(all::add);
            after.getOrDefault("a", Set.of()).forEach(all::add);
            assertThat(all).isEqualTo(rows(20, 40));
            Frame f = v.dataframe(T, ReadOptions.latest());
            assertThat(f.rowCount()).isEqualTo(60);
            assertThat(f.column("c").get(0)).isEqualTo("c:s9:20");
            assertThat(f.column("c").get(59)).isEqualTo("c:s9:19");
            assertThat(f.column("a").get(45)).isEqualTo("a:s1:5");
            assertThat(v.activeProcesses()).isEmpty();
        }
    }

    @Test
    void aNullOrRepeatedPrimaryKeyIsRefused() {
        try (Vault v = open()) {
            v.createTable("src", TableOptions.defaults());
            v.createInstance("src", InstanceOptions.defaults().version("s").externalEdit(true));
            v.writeInstance("src", Frame.builder().column("k", ColumnType.LONG).row(1L).row(1L).build(),
                    WriteOptions.defaults().version("s"));
            v.createTable(T, TableOptions.defaults());
            v.createInstance(T, InstanceOptions.defaults().version("v1"));
            v.putBuilder(T, "v1", index(0, 2, false), OpOptions.defaults());
            v.executeInstance(T, ExecuteOptions.defaults().version("v1"));
            v.createInstance(T, InstanceOptions.defaults().version("v1"));
            v.putBuilder(T, "v1", BuilderSpec.fromYaml("name: docs_index\ntype: index\nbuilder: copy\n"
                    + "changedColumns: [id]\ntypes: {id: long}\nprimaryKey: [id]\narguments: {from: '<<src.k>>'}\n"),
                    OpOptions.defaults());
            TvBuilderException e = catchThrowableOfType(() -> v.executeInstance(T, ExecuteOptions.defaults()
                    .version("v1")), TvBuilderException.class);
            assertThat(e.code()).isEqualTo(ErrorCode.BAD_BUILDER);
            assertThat(e.getMessage()).contains("primary key [1] at rows 0 and 1");
            assertThat(v.instances(T, null, false)).hasSize(1);
        }
    }

    @Test
    void aDependencyWithNewDataMakesItsReadersDirty() {
        try (Vault v = open()) {
            v.createTable("rates", TableOptions.defaults());
            List<Object> r1 = new ArrayList<>(List.of(1L));
            v.createInstance("rates", InstanceOptions.defaults().version("r").externalEdit(true));
            v.writeInstance("rates", Frame.ofColumns(List.of(new dev.tablevault.api.Column("x", ColumnType.LONG)),
                    List.of(r1)), WriteOptions.defaults().version("r"));
            v.createTable(T, TableOptions.defaults());
            v.createInstance(T, InstanceOptions.defaults().version("v1"));
            v.putBuilder(T, "v1", index(0, 5, false), OpOptions.defaults());
            v.putBuilder(T, "v1", col("a", "'<<rates.x[index::0]>>'", ""), OpOptions.defaults());
            v.putBuilder(T, "v1", col("b", "plain", ""), OpOptions.defaults());
            v.executeInstance(T, ExecuteOptions.defaults().version("v1"));
            tagged.take();
            v.createInstance(T, InstanceOptions.defaults().version("v1"));
            v.putBuilder(T, "v1", index(0, 5, false), OpOptions.defaults());
            v.putBuilder(T, "v1", col("a", "'<<rates.x[index::0]>>'", ""), OpOptions.defaults());
            v.putBuilder(T, "v1", col("b", "plain", ""), OpOptions.defaults());
            v.createInstance("rates", InstanceOptions.defaults().version("r").externalEdit(true));
            v.writeInstance("rates", Frame.ofColumns(List.of(new dev.tablevault.api.Column("x", ColumnType.LONG)),
                    List.of(new ArrayList<>(List.of(2L)))), WriteOptions.defaults().version("r"));
            v.executeInstance(T, ExecuteOptions.defaults().version("v1"));
            assertThat(tagged.take()).isEqualTo(Map.of("a", rows(0, 5)));
            assertThat(v.dataframe(T, ReadOptions.latest()).column("a").get(4)).isEqualTo("a:2:4");
        }
    }

    @Test
    void anUnchangedReExecutionOfASideEffectTableDeactivatesNothing() {
        try (Vault v = open()) {
            v.createTable(T, TableOptions.defaults().sideEffects(true));
            v.createInstance(T, InstanceOptions.defaults().version("v1"));
            v.putBuilder(T, "v1", index(0, 5, false), OpOptions.defaults());
            v.putBuilder(T, "v1", col("a", "s", ""), OpOptions.defaults());
            v.executeInstance(T, ExecuteOptions.defaults().version("v1"));
            String o = latest(v);
            next(v, o);
            v.executeInstance(T, ExecuteOptions.defaults().version("v2"));
            assertThat(v.description(T, o).active()).isTrue();
            next(v, latest(v));
            v.putBuilder(T, "v2", col("a", "t", ""), OpOptions.defaults());
            v.executeInstance(T, ExecuteOptions.defaults().version("v2"));
            assertThat(v.description(T, o).active()).isFalse();
        }
    }

    /** Instance keys that still have cells in the data family. */
    private static Set<Long> cellKeys(Vault v) {
        Set<Long> keys = new TreeSet<>();
        dev.tablevault.engine.store.Backend s = ((VaultImpl) v).store();
        s.scan(Family.DATA, new byte[0],
                (k, val) -> keys.add(dev.tablevault.engine.store.Keys.cellInstance(k)) || true);
        return keys;
    }

    @Test
    void unchangedColumnsAreSharedNotCopiedAndTheirCellsLiveAsLongAsAnInstanceUsesThem() {
        try (Vault v = open()) {
            String v1 = first(v, 3000);
            Frame original = v.dataframe(T, ReadOptions.id(v1));
            Set<Long> afterFirst = cellKeys(v);
            assertThat(afterFirst).hasSize(1);
            next(v, v1);
            v.putBuilder(T, "v2", col("b", "s2", ""), OpOptions.defaults());
            v.executeInstance(T, ExecuteOptions.defaults().version("v2"));
            String v2 = latest(v);
            v.createInstance(T, InstanceOptions.defaults().version("v3").originId(v2));
            v.putBuilder(T, "v3", col("c", "s3", ""), OpOptions.defaults());
            v.executeInstance(T, ExecuteOptions.defaults().version("v3"));
            String v3 = latest(v);
            Frame third = v.dataframe(T, ReadOptions.id(v3));
            assertThat(third.column("a")).isEqualTo(original.column("a"));
            assertThat(third.column("b").get(9)).isEqualTo("b:s2:9");
            assertThat(third.column("c").get(9)).isEqualTo("c:s3:9");
            try (var cursor = v.rows(T, ReadOptions.id(v3))) {
                List<Object> row = null;
                for (int r = 0; r <= 2500; r++) {
                    row = cursor.next();
                }
                assertThat(row).isEqualTo(third.row(2500));
            }

            v.deleteInstance(T, v1, OpOptions.defaults());
            v.deleteInstance(T, v2, OpOptions.defaults());
            assertThat(v.dataframe(T, ReadOptions.id(v3))).isEqualTo(third);
            assertThat(cellKeys(v)).containsAll(afterFirst); // v1's cells: still used by v3 (id, a, d, e)

            v.deleteInstance(T, v3, OpOptions.defaults());
            assertThat(cellKeys(v)).isEmpty();
        }
    }

    @Test
    void deletingATableDropsSharedCellsToo() {
        try (Vault v = open()) {
            String v1 = first(v, 100);
            next(v, v1);
            v.putBuilder(T, "v2", col("b", "s2", ""), OpOptions.defaults());
            v.executeInstance(T, ExecuteOptions.defaults().version("v2"));
            assertThat(cellKeys(v)).hasSize(2);
            v.deleteTable(T, OpOptions.defaults());
            assertThat(cellKeys(v)).isEmpty();
        }
    }

    @Test
    void aStopMaterializedReExecutionKeepsTheSharedColumnsReadable() {
        try (Vault v = open()) {
            String v1 = first(v, 40);
            Frame original = v.dataframe(T, ReadOptions.id(v1));
            next(v, v1);
            v.putBuilder(T, "v2", col("d", "s2", ""), OpOptions.defaults());
            tagged.fail.add(20L);
            catchThrowableOfType(() -> v.executeInstance(T, ExecuteOptions.defaults().version("v2").processId("p3")
                    .checkpointRows(5)), IllegalStateException.class);
            v.stopProcess("p3", StopOptions.defaults().materialize(true));
            Frame partial = v.dataframe(T, ReadOptions.id(latest(v)));
            assertThat(partial.column("a")).isEqualTo(original.column("a"));
            assertThat(partial.column("d").get(19)).isEqualTo("d:s2:19");
            assertThat(partial.column("d").get(20)).isNull();
            v.deleteInstance(T, v1, OpOptions.defaults());
            assertThat(v.dataframe(T, ReadOptions.id(latest(v)))).isEqualTo(partial);
        }
    }

    @Test
    void onlyReadersOfADependencysChangedColumnsRunAgain() {
        try (Vault v = open()) {
            v.createTable("rates", TableOptions.defaults());
            List<dev.tablevault.api.Column> cols = List.of(new dev.tablevault.api.Column("x", ColumnType.LONG),
                    new dev.tablevault.api.Column("y", ColumnType.LONG));
            v.createInstance("rates", InstanceOptions.defaults().version("r").externalEdit(true));
            v.writeInstance("rates", Frame.ofColumns(cols, List.of(new ArrayList<>(List.of(1L)),
                    new ArrayList<>(List.of(10L)))), WriteOptions.defaults().version("r"));
            String r1 = v.instances("rates", null, false).get(0);
            v.createTable(T, TableOptions.defaults());
            v.createInstance(T, InstanceOptions.defaults().version("v1"));
            v.putBuilder(T, "v1", index(0, 4, false), OpOptions.defaults());
            v.putBuilder(T, "v1", col("a", "'<<rates.x[index::0]>>'", ""), OpOptions.defaults());
            v.putBuilder(T, "v1", col("b", "'<<rates.y[index::0]>>'", ""), OpOptions.defaults());
            v.executeInstance(T, ExecuteOptions.defaults().version("v1"));
            String o = latest(v);
            tagged.take();

            // A new rates instance from the old one: y changes, x keeps its values and so its column time.
            v.createInstance("rates", InstanceOptions.defaults().version("r").externalEdit(true).originId(r1));
            v.writeInstance("rates", Frame.ofColumns(cols, List.of(new ArrayList<>(List.of(1L)),
                    new ArrayList<>(List.of(20L)))), WriteOptions.defaults().version("r")) ;
            String r2 = v.instances("rates", null, false).get(1);
            InstanceDescription d1 = v.description("rates", r1);
            InstanceDescription d2 = v.description("rates", r2);
            assertThat(d2.changedColumns()).containsExactly("y");
            assertThat(d2.columnTimes().get("x")).isEqualTo(d1.columnTimes().get("x"));

            next(v, o);
            v.executeInstance(T, ExecuteOptions.defaults().version("v2"));
            assertThat(tagged.take()).isEqualTo(Map.of("b", rows(0, 4)));
            Frame f = v.dataframe(T, ReadOptions.latest());
            assertThat(f.column("a").get(0)).isEqualTo("a:1:0");
            assertThat(f.column("b").get(0)).isEqualTo("b:20:0");
            assertThat(v.description(T, latest(v)).dependencies()).containsExactly("rates/" + r2);
        }
    }

    @Test
    void aRevertedReExecutionLeavesItsPartialRowsReadableWithTheSharedColumns() {
        try (Vault v = open()) {
            String v1 = first(v, 30);
            Frame original = v.dataframe(T, ReadOptions.id(v1));
            next(v, v1);
            v.putBuilder(T, "v2", col("e", "s9", "dependencies: [self.d]\n"), OpOptions.defaults());
            tagged.fail.add(12L);
            catchThrowableOfType(() -> v.executeInstance(T, ExecuteOptions.defaults().version("v2")
                    .checkpointRows(5)), IllegalStateException.class);
            Frame partial = v.dataframe(T, ReadOptions.id("TEMP_v2"));
            assertThat(partial.column("a")).isEqualTo(original.column("a"));
            assertThat(partial.column("e").get(11)).isEqualTo("e:s9:11");
            assertThat(partial.column("e").get(12)).isNull();
            v.deleteInstance(T, v1, OpOptions.defaults());
            assertThat(v.dataframe(T, ReadOptions.id("TEMP_v2"))).isEqualTo(partial);
            v.deleteInstance(T, "TEMP_v2", OpOptions.defaults());
            assertThat(cellKeys(v)).isEmpty();
        }
    }
}
