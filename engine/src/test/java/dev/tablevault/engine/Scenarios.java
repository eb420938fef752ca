package dev.tablevault.engine;

import dev.tablevault.api.BuilderSpec;
import dev.tablevault.api.Column;
import dev.tablevault.api.ColumnType;
import dev.tablevault.api.ExecuteOptions;
import dev.tablevault.api.Frame;
import dev.tablevault.api.InstanceDescription;
import dev.tablevault.api.InstanceOptions;
import dev.tablevault.api.LockInfo;
import dev.tablevault.api.OpOptions;
import dev.tablevault.api.ProcessState;
import dev.tablevault.api.ReadOptions;
import dev.tablevault.api.StopOptions;
import dev.tablevault.api.TableDescription;
import dev.tablevault.api.TableOptions;
import dev.tablevault.api.Vault;
import dev.tablevault.api.WriteOptions;
import dev.tablevault.engine.codec.Codec;
import dev.tablevault.engine.codec.Records.ExecProgress;
import dev.tablevault.engine.codec.Records.InstanceRecord;
import dev.tablevault.engine.codec.Records.LockRecord;
import dev.tablevault.engine.codec.Records.LogEntry;
import dev.tablevault.engine.codec.Records.WriteProgress;
import dev.tablevault.engine.data.Names;
import dev.tablevault.engine.ops.WriteInstance;
import dev.tablevault.engine.process.CrashPoints;
import dev.tablevault.engine.store.Backend;
import dev.tablevault.engine.store.Family;
import dev.tablevault.engine.store.Keys;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Setup helpers for crash tests: a standard vault in which every operation has something to act on, and one
 * {@link Scenario} per operation (the call with or without a process id, a call with changed arguments, a call
 * that conflicts with its locks, the locks it holds, and what success looks like).
 *
 * <p>The standard vault ({@link #base}): table {@code stories} (one artifact folder) with a materialized
 * external-edit instance of version {@code base} ({@link #BASE_ROWS} rows), a temporary builder instance
 * {@code TEMP_draft} with builders {@code stories_index} and {@code title}, an empty external-edit temporary
 * instance {@code TEMP_ext}; and an empty table {@code other}.
 *
 * <p>Executions ({@link #withRun}, {@link #withReRun}) add a builder instance {@code TEMP_run} whose origin is
 * the base instance ({@link #RUN_ROWS} rows: index {@code id}, template columns {@code label} and
 * {@code text}), and for a re-execution, {@code run} executed and {@code TEMP_rerun} from it: the index shifted
 * by half with {@code keepOld}, {@code label} clean (carried over), {@code text} changed (recomputed).
 */
final class Scenarios {
    static final String T = "stories";
    static final int BASE_ROWS = 10;
    static final Frame BASE_FRAME = frame(BASE_ROWS, 7);
    static final Frame SMALL = frame(100, 0);
    static final Frame SMALL_CHANGED = frame(100, 1);
    /** More than two checkpoint batches, so {@code writeInstance.staged} fires with staging unfinished. */
    static final Frame LARGE = frame(40_000, 0);
    static final Frame LARGE_CHANGED = frame(40_000, 1);
    /** The id of the paused writeInstance a stopProcess scenario stops. */
    static final String TARGET = "target-w";
    /** Rows of an execution's index, and its checkpoint batch: the first checkpoint leaves the index unfinished. */
    static final int RUN_ROWS = 1200;
    static final int RUN_BATCH = 500;
    /** What executing TEMP_run builds. */
    static final Frame RUN_FRAME = runFrame(0, RUN_ROWS, false, "a");
    /** What re-executing TEMP_rerun builds: the new ids, then the kept old ones. */
    static final Frame RERUN_FRAME = runFrame(RUN_ROWS / 2, RUN_ROWS, true, "b");
    static final BuilderSpec LABEL_SPEC = BuilderSpec.fromYaml("name: label\ntype: column\nbuilder: template\n"
            + "changedColumns: [label]\narguments: {template: 'L<<self.id[index]>>'}\n");

    static final BuilderSpec INDEX_SPEC = BuilderSpec.fromYaml(
            "name: stories_index\ntype: index\nbuilder: range\nchangedColumns: [id]\n");
    static final BuilderSpec TITLE_SPEC = BuilderSpec.fromYaml(
            "name: title\ntype: column\nbuilder: template\nchangedColumns: [title]\n");
    static final BuilderSpec SUMMARY_SPEC = BuilderSpec.fromYaml(
            "name: summary\ntype: column\nbuilder: template\nchangedColumns: [summary]\n");
    static final BuilderSpec SUMMARY_SPEC_CHANGED = BuilderSpec.fromYaml(
            "name: summary\ntype: column\nbuilder: template\nchangedColumns: [summary, length]\n");

    private Scenarios() {
    }

    /** What a setup built that the calls need: the base instance, and the executed {@code run} one or null. */
    record Fixture(String baseId, String runId) {
        Fixture(String baseId) {
            this(baseId, null);
        }
    }

    /** An operation call; {@code pid} null means a generated id. Returns the process id. */
    @FunctionalInterface
    interface Call {
        String run(Vault v, Fixture fx, String pid);
    }

    /**
     * One operation in a prepared vault.
     *
     * @param name display name, also used in process ids (so: letters, digits, {@code -})
     * @param operation the key in {@link CrashPoints#POINTS}
     * @param setup builds the prerequisite state with ordinary calls
     * @param call the operation
     * @param changed the same operation with different arguments
     * @param conflict an operation (generated id) that needs a lock the paused process holds
     * @param locks every lock held in the vault while the process is paused, as {@code resource MODE pid}
     * @param holder the process {@code conflict} is blocked by, or null for the paused process itself
     * @param frame the frame a writeInstance writes or an executeInstance builds, or null
     * @param targetEnd for a stopProcess: the end state of its target after the stop committed
     * @param verify checks the operation's effect after it committed
     */
    record Scenario(String name, String operation, Function<Vault, Fixture> setup, Call call, Call changed,
                    BiConsumer<Vault, Fixture> conflict, BiFunction<Fixture, String, Set<String>> locks,
                    String holder, Frame frame, ProcessState targetEnd, BiConsumer<Vault, Fixture> verify) {

        String holderOf(String pid) {
            return holder == null ? pid : holder;
        }

        boolean isWrite() {
            return operation.equals("writeInstance");
        }

        boolean isExecute() {
            return operation.equals("executeInstance");
        }

        /** Writes and executions may be stopped with materialize. */
        boolean canMaterialize() {
            return isWrite() || isExecute();
        }

        /** Whether a crash at {@code point} leaves the process persisted (one-step operations persist nothing). */
        boolean persistsAt(String point) {
            return canMaterialize() && !point.endsWith(".locked");
        }

        boolean isStop() {
            return operation.equals("stopProcess");
        }

        /** A writeInstance paused before its frame was fully staged cannot continue without the frame. */
        boolean needsFrame(String point) {
            return isWrite() && (point.endsWith(".locked")
                    || point.endsWith(".staged") && frame.rowCount() > WriteInstance.BATCH_ROWS);
        }

        /** Rows of the frame staged (committed, for an execution) when {@code point} fires. */
        int stagedRows(String point) {
            if (point.endsWith(".locked")) {
                return 0;
            }
            if (point.equals("executeInstance.checkpoint")) {
                return RUN_BATCH; // the index step's first batch
            }
            if (point.endsWith(".staged")) {
                return Math.min(frame.rowCount(), WriteInstance.BATCH_ROWS);
            }
            return frame.rowCount();
        }

        @Override
        public String toString() {
            return name;
        }
    }

    // ---- the scenarios ----

    static List<Scenario> all() {
        List<Scenario> l = new ArrayList<>();
        l.add(new Scenario("createTable", "createTable", Scenarios::base,
                (v, fx, pid) -> v.createTable("fresh", TableOptions.defaults().description("new").processId(pid)),
                (v, fx, pid) -> v.createTable("fresh", TableOptions.defaults().description("changed").processId(pid)),
                (v, fx) -> v.deleteTable("fresh", OpOptions.defaults()),
                (fx, pid) -> Set.of("table:fresh EXCLUSIVE " + pid), null, null, null,
                (v, fx) -> {
                    assertThat(v.tables()).containsExactly("fresh", "other", T);
                    assertThat(v.description("fresh").description()).isEqualTo("new");
                }));
        l.add(new Scenario("renameTable", "renameTable", Scenarios::base,
                (v, fx, pid) -> v.renameTable(T, "tales", OpOptions.defaults().processId(pid)),
                (v, fx, pid) -> v.renameTable(T, "sagas", OpOptions.defaults().processId(pid)),
                (v, fx) -> v.createTable("tales", TableOptions.defaults()),
                (fx, pid) -> Set.of("table:stories EXCLUSIVE " + pid, "table:tales EXCLUSIVE " + pid), null, null,
                null, (v, fx) -> {
                    assertThat(v.tables()).containsExactly("other", "tales");
                    assertThat(v.instances("tales", null, true)).containsExactly(fx.baseId(), "TEMP_draft",
                            "TEMP_ext");
                    assertThat(v.builders("tales", "draft")).containsExactly("tales_index", "title");
                    assertThat(v.dataframe("tales", ReadOptions.latest())).isEqualTo(BASE_FRAME);
                }));
        l.add(new Scenario("deleteTable", "deleteTable", Scenarios::base,
                (v, fx, pid) -> v.deleteTable(T, OpOptions.defaults().processId(pid)),
                (v, fx, pid) -> v.deleteTable("other", OpOptions.defaults().processId(pid)),
                (v, fx) -> v.putBuilder(T, "draft", SUMMARY_SPEC, OpOptions.defaults()),
                (fx, pid) -> Set.of("table:stories EXCLUSIVE " + pid), null, null, null,
                (v, fx) -> assertThat(v.tables()).containsExactly("other")));
        l.add(new Scenario("createInstance", "createInstance", Scenarios::base,
                (v, fx, pid) -> v.createInstance(T, InstanceOptions.defaults().version("v2").originId(fx.baseId())
                        .description("from base").processId(pid)),
                (v, fx, pid) -> v.createInstance(T, InstanceOptions.defaults().version("v2")
                        .description("from base").processId(pid)),
                (v, fx) -> v.deleteInstance(T, fx.baseId(), OpOptions.defaults()),
                (fx, pid) -> Set.of("instance:stories/TEMP_v2 EXCLUSIVE " + pid,
                        "instance:stories/" + fx.baseId() + " SHARED " + pid), null, null, null,
                (v, fx) -> {
                    InstanceDescription d = v.description(T, "TEMP_v2");
                    assertThat(d.temporary()).isTrue();
                    assertThat(d.originId()).isEqualTo(fx.baseId());
                    assertThat(d.columns()).isEqualTo(BASE_FRAME.columns());
                }));
        l.add(new Scenario("deleteInstance", "deleteInstance", Scenarios::base,
                (v, fx, pid) -> v.deleteInstance(T, fx.baseId(), OpOptions.defaults().processId(pid)),
                (v, fx, pid) -> v.deleteInstance(T, "TEMP_draft", OpOptions.defaults().processId(pid)),
                (v, fx) -> v.createInstance(T, InstanceOptions.defaults().version("v9").originId(fx.baseId())),
                (fx, pid) -> Set.of("instance:stories/" + fx.baseId() + " EXCLUSIVE " + pid), null, null, null,
                (v, fx) -> {
                    assertThat(v.instances(T, null, true)).containsExactly("TEMP_draft", "TEMP_ext");
                    assertThat(v.description(T).artifactInstance()).isNull();
                }));
        l.add(new Scenario("putBuilder", "putBuilder", Scenarios::base,
                (v, fx, pid) -> v.putBuilder(T, "draft", SUMMARY_SPEC, OpOptions.defaults().processId(pid)),
                (v, fx, pid) -> v.putBuilder(T, "draft", SUMMARY_SPEC_CHANGED, OpOptions.defaults().processId(pid)),
                (v, fx) -> v.deleteInstance(T, "TEMP_draft", OpOptions.defaults()),
                (fx, pid) -> Set.of("instance:stories/TEMP_draft EXCLUSIVE " + pid), null, null, null,
                (v, fx) -> {
                    assertThat(v.builders(T, "draft")).containsExactly("stories_index", "summary", "title");
                    assertThat(v.builder(T, "draft", "summary")).isEqualTo(SUMMARY_SPEC);
                }));
        l.add(new Scenario("deleteBuilder", "deleteBuilder", Scenarios::base,
                (v, fx, pid) -> v.deleteBuilder(T, "draft", "title", OpOptions.defaults().processId(pid)),
                (v, fx, pid) -> v.deleteBuilder(T, "draft", "stories_index", OpOptions.defaults().processId(pid)),
                (v, fx) -> v.putBuilder(T, "draft", SUMMARY_SPEC, OpOptions.defaults()),
                (fx, pid) -> Set.of("instance:stories/TEMP_draft EXCLUSIVE " + pid), null, null, null,
                (v, fx) -> assertThat(v.builders(T, "draft")).containsExactly("stories_index")));
        l.add(write("writeInstance-small", SMALL, SMALL_CHANGED));
        l.add(write("writeInstance-large", LARGE, LARGE_CHANGED));
        l.add(execute("executeInstance", "run", RUN_FRAME, Scenarios::withRun, Fixture::baseId));
        l.add(execute("executeInstance-reexecute", "rerun", RERUN_FRAME, Scenarios::withReRun, Fixture::runId));
        // Target: a small write paused at its commit (fully staged: a restart alone would commit it).
        l.add(new Scenario("stopProcess", "stopProcess", v -> withPausedTarget(v, "writeInstance.commit", SMALL),
                (v, fx, pid) -> v.stopProcess(TARGET, StopOptions.defaults().processId(pid)),
                (v, fx, pid) -> v.stopProcess(TARGET, StopOptions.defaults().materialize(true).processId(pid)),
                (v, fx) -> v.deleteInstance(T, "TEMP_ext", OpOptions.defaults()),
                (fx, pid) -> Set.of("instance:stories/TEMP_ext EXCLUSIVE " + TARGET,
                        "artifacts:stories EXCLUSIVE " + TARGET), TARGET, null, ProcessState.STOPPED,
                (v, fx) -> {
                    assertThat(v.instances(T, null, true)).containsExactly(fx.baseId(), "TEMP_draft", "TEMP_ext");
                    assertThat(v.process(TARGET).state()).isEqualTo(ProcessState.STOPPED);
                }));
        // Target: a large write paused mid-staging; the stop keeps the rows staged so far.
        l.add(new Scenario("stopProcess-materialize", "stopProcess",
                v -> withPausedTarget(v, "writeInstance.staged", LARGE),
                (v, fx, pid) -> v.stopProcess(TARGET, StopOptions.defaults().materialize(true).processId(pid)),
                (v, fx, pid) -> v.stopProcess(TARGET, StopOptions.defaults().processId(pid)),
                (v, fx) -> v.deleteInstance(T, "TEMP_ext", OpOptions.defaults()),
                (fx, pid) -> Set.of("instance:stories/TEMP_ext EXCLUSIVE " + TARGET,
                        "artifacts:stories EXCLUSIVE " + TARGET), TARGET, null, ProcessState.MATERIALIZED,
                (v, fx) -> {
                    assertThat(v.process(TARGET).state()).isEqualTo(ProcessState.MATERIALIZED);
                    List<String> ids = v.instances(T, "ext", true);
                    assertThat(ids).hasSize(1);
                    InstanceDescription d = v.description(T, ids.get(0));
                    assertThat(d.success()).isFalse();
                    assertThat(d.temporary()).isFalse();
                    assertThat(d.rows()).isEqualTo(WriteInstance.BATCH_ROWS);
                    assertThat(v.dataframe(T, ReadOptions.id(d.id()))).isEqualTo(head(LARGE, WriteInstance.BATCH_ROWS));
                    assertThat(v.description(T).artifactInstance()).isEqualTo(fx.baseId());
                }));
        return l;
    }

    private static Scenario write(String name, Frame frame, Frame changed) {
        return new Scenario(name, "writeInstance", Scenarios::base,
                (v, fx, pid) -> v.writeInstance(T, frame, WriteOptions.defaults().version("ext").processId(pid)),
                (v, fx, pid) -> v.writeInstance(T, changed, WriteOptions.defaults().version("ext").processId(pid)),
                (v, fx) -> v.deleteInstance(T, "TEMP_ext", OpOptions.defaults()),
                (fx, pid) -> Set.of("instance:stories/TEMP_ext EXCLUSIVE " + pid, "artifacts:stories EXCLUSIVE " + pid),
                null, frame, null,
                (v, fx) -> {
                    assertThat(v.instances(T, null, true)).hasSize(3).contains(fx.baseId(), "TEMP_draft")
                            .doesNotContain("TEMP_ext");
                    assertThat(v.dataframe(T, ReadOptions.version("ext"))).isEqualTo(frame);
                    InstanceDescription d = v.description(T, v.instances(T, "ext", false).get(0));
                    assertThat(d.success()).isTrue();
                    assertThat(d.rows()).isEqualTo(frame.rowCount());
                    assertThat(v.description(T).artifactInstance()).isEqualTo(d.id());
                });
    }

    /** An execution of {@code TEMP_<version>}, whose origin (locked shared throughout) is {@code origin}. */
    private static Scenario execute(String name, String version, Frame frame, Function<Vault, Fixture> setup,
                                    Function<Fixture, String> origin) {
        return new Scenario(name, "executeInstance", setup,
                (v, fx, pid) -> v.executeInstance(T, runOptions(version).processId(pid)),
                (v, fx, pid) -> v.executeInstance(T, runOptions(version).force(true).processId(pid)),
                (v, fx) -> v.deleteInstance(T, Names.temp(version), OpOptions.defaults()),
                (fx, pid) -> Set.of("instance:stories/" + Names.temp(version) + " EXCLUSIVE " + pid,
                        "artifacts:stories EXCLUSIVE " + pid,
                        "instance:stories/" + origin.apply(fx) + " SHARED " + pid),
                null, frame, null,
                (v, fx) -> {
                    assertThat(v.instances(T, null, true)).doesNotContain(Names.temp(version));
                    List<String> ids = v.instances(T, version, false);
                    assertThat(ids).hasSize(1);
                    InstanceDescription d = v.description(T, ids.get(0));
                    assertThat(d.success()).isTrue();
                    assertThat(d.originId()).isEqualTo(origin.apply(fx));
                    assertThat(d.rows()).isEqualTo(frame.rowCount());
                    assertThat(v.dataframe(T, ReadOptions.id(d.id()))).isEqualTo(frame);
                    assertThat(v.description(T).artifactInstance()).isEqualTo(d.id());
                });
    }

    /** Checkpoints by rows only, so where each one falls does not depend on time. */
    static ExecuteOptions runOptions(String version) {
        return ExecuteOptions.defaults().version(version).checkpointRows(RUN_BATCH).checkpointMillis(3_600_000);
    }

    /**
     * The (scenario, crash point) pairs the crash suites run on PostgreSQL by default, where the process's run row
     * matters most: a large write mid-staging (a checkpoint, then a pause), a small one after its commit, an
     * execution at its first checkpoint, a stop before its commit (it claims its paused target's run). A case costs
     * about a second there, a killed child's about 4 s (its lease must end first), so the default keeps the suite
     * short; {@code -Dtv.pg.crashes=all} runs every pair.
     */
    private static final Set<String> ON_POSTGRESQL = Set.of("writeInstance-large@writeInstance.staged",
            "writeInstance-small@writeInstance.committed", "executeInstance@executeInstance.checkpoint",
            "stopProcess@stopProcess.commit");

    /** Whether the crash suites run scenario {@code s} at {@code point} on {@code backend} ({@link #ON_POSTGRESQL}). */
    static boolean runsOn(TestBackend backend, Scenario s, String point) {
        return backend == TestBackend.ROCKSDB || allOnPostgresql() || ON_POSTGRESQL.contains(s.name() + "@" + point);
    }

    /** Whether {@code -Dtv.pg.crashes=all} asks for every crash case on PostgreSQL too. */
    static boolean allOnPostgresql() {
        return "all".equals(System.getProperty("tv.pg.crashes"));
    }

    /** Whether the crash suites run scenario {@code s} (at any point) on {@code backend}. */
    static boolean runsOn(TestBackend backend, Scenario s) {
        return CrashPoints.POINTS.get(s.operation()).stream().anyMatch(p -> runsOn(backend, s, p));
    }

    static List<Scenario> forOperation(String operation) {
        return all().stream().filter(s -> s.operation().equals(operation)).toList();
    }

    // ---- setups ----

    /** The standard vault described in the class comment. */
    static Fixture base(Vault v) {
        v.createTable(T, TableOptions.defaults().description("tales of the vault"));
        v.createInstance(T, InstanceOptions.defaults().version("base").externalEdit(true));
        v.writeInstance(T, BASE_FRAME, WriteOptions.defaults().version("base"));
        String baseId = v.instances(T, "base", false).get(0);
        v.createInstance(T, InstanceOptions.defaults().version("draft"));
        v.putBuilder(T, "draft", INDEX_SPEC, OpOptions.defaults());
        v.putBuilder(T, "draft", TITLE_SPEC, OpOptions.defaults());
        v.createInstance(T, InstanceOptions.defaults().version("ext").externalEdit(true));
        v.createTable("other", TableOptions.defaults().multipleArtifacts(true));
        return new Fixture(baseId);
    }

    /** The standard vault plus {@code TEMP_run} from the base instance, with its three builders. */
    static Fixture withRun(Vault v) {
        Fixture fx = base(v);
        v.createInstance(T, InstanceOptions.defaults().version("run").originId(fx.baseId()));
        v.putBuilder(T, "run", runIndex(0), OpOptions.defaults());
        v.putBuilder(T, "run", LABEL_SPEC, OpOptions.defaults());
        v.putBuilder(T, "run", textSpec("a"), OpOptions.defaults());
        return fx;
    }

    /** {@link #withRun} executed, plus {@code TEMP_rerun} from it: index shifted by half, {@code text} changed. */
    static Fixture withReRun(Vault v) {
        Fixture fx = withRun(v);
        v.executeInstance(T, runOptions("run"));
        String runId = v.instances(T, "run", false).get(0);
        v.createInstance(T, InstanceOptions.defaults().version("rerun").originId(runId));
        v.putBuilder(T, "rerun", runIndex(RUN_ROWS / 2), OpOptions.defaults());
        v.putBuilder(T, "rerun", textSpec("b"), OpOptions.defaults());
        return new Fixture(fx.baseId(), runId);
    }

    private static BuilderSpec runIndex(int start) {
        return BuilderSpec.fromYaml("name: stories_index\ntype: index\nbuilder: range\nchangedColumns: [id]\n"
                + "types: {id: long}\nprimaryKey: [id]\nkeepOld: true\narguments: {start: " + start + ", count: "
                + RUN_ROWS + "}\n");
    }

    private static BuilderSpec textSpec(String salt) {
        return BuilderSpec.fromYaml("name: text\ntype: column\nbuilder: template\nchangedColumns: [text]\n"
                + "dependencies: [label]\narguments: {template: '" + salt + ":<<self.label[index]>>'}\n");
    }

    /** The standard vault plus writeInstance {@link #TARGET} of {@code frame} into TEMP_ext, paused at {@code point}. */
    static Fixture withPausedTarget(Vault v, String point, Frame frame) {
        Fixture fx = base(v);
        CrashPoints.arm(point, CrashPoints.Action.THROW);
        try {
            v.writeInstance(T, frame, WriteOptions.defaults().version("ext").processId(TARGET));
            fail("the armed point " + point + " did not fire");
        } catch (CrashPoints.InjectedFailure expected) {
            // the target is paused
        } finally {
            CrashPoints.disarmAll();
        }
        assertThat(v.process(TARGET).state()).isEqualTo(ProcessState.PAUSED);
        return fx;
    }

    // ---- frames ----

    static Frame frame(int rows, int seed) {
        List<Column> cols = List.of(new Column("id", ColumnType.LONG), new Column("title", ColumnType.STRING),
                new Column("score", ColumnType.DOUBLE), new Column("ok", ColumnType.BOOLEAN));
        List<Object> id = new ArrayList<>(rows);
        List<Object> title = new ArrayList<>(rows);
        List<Object> score = new ArrayList<>(rows);
        List<Object> ok = new ArrayList<>(rows);
        for (int i = 0; i < rows; i++) {
            id.add((long) i);
            title.add(i % 7 == 3 ? null : "story " + (i + seed));
            score.add(i * 0.5 + seed);
            ok.add(i % 2 == 0);
        }
        return Frame.ofColumns(cols, List.of(id, title, score, ok));
    }

    /**
     * An executed frame: ids {@code start..start+rows-1}, then with {@code keptOld} the ids below {@code start}
     * (an origin's rows the new index lacks); {@code label = L<id>}, {@code text = <salt>:L<id>}.
     */
    static Frame runFrame(int start, int rows, boolean keptOld, String salt) {
        List<Object> id = new ArrayList<>();
        for (long i = start; i < start + rows; i++) {
            id.add(i);
        }
        for (long i = 0; keptOld && i < start; i++) {
            id.add(i);
        }
        List<Object> label = id.stream().map(i -> (Object) ("L" + i)).toList();
        List<Object> text = label.stream().map(l -> (Object) (salt + ":" + l)).toList();
        return Frame.ofColumns(List.of(new Column("id", ColumnType.LONG), new Column("label", ColumnType.STRING),
                new Column("text", ColumnType.STRING)), List.of(id, label, text));
    }

    /** The first {@code rows} rows of a frame. */
    static Frame head(Frame f, int rows) {
        List<List<Object>> vals = new ArrayList<>();
        for (int c = 0; c < f.columnCount(); c++) {
            vals.add(f.column(c).subList(0, rows));
        }
        return Frame.ofColumns(f.columns(), vals);
    }

    // ---- comparisons ----

    /**
     * The contents with generated ids, times and process ids normalized away: two vaults in which the same
     * operations ran (possibly interrupted and resumed) compare equal. Instance ids {@code <version>_<ms>_<hex>}
     * become {@code <version>_*}; lines are sorted, so materialization order within a millisecond does not matter.
     */
    record Normalized(List<String> tables, List<String> instances, Map<String, String> builders, List<String> locks,
                      Map<String, String> active) {
    }

    static Normalized normalized(Vault v) {
        VaultContents c = VaultContents.of(v);
        List<String> tables = new ArrayList<>();
        for (TableDescription d : c.tables().values()) {
            tables.add(d.name() + " description=" + d.description() + " sideEffects=" + d.sideEffects()
                    + " multipleArtifacts=" + d.multipleArtifacts() + " artifactInstance=" + norm(d.artifactInstance()));
        }
        List<String> instances = new ArrayList<>();
        for (Map.Entry<String, InstanceDescription> e : c.instances().entrySet()) {
            InstanceDescription d = e.getValue();
            instances.add(d.table() + "/" + norm(d.id()) + " version=" + d.version() + " temporary=" + d.temporary()
                    + " externalEdit=" + d.externalEdit() + " origin=" + d.originTable() + "/" + norm(d.originId())
                    + " description=" + d.description() + " columns=" + d.columns() + " changed="
                    + d.changedColumns() + " rows=" + d.rows() + " success=" + d.success() + " active=" + d.active()
                    + " data=" + c.rows().get(e.getKey()));
        }
        instances.sort(Comparator.naturalOrder());
        return new Normalized(tables, instances, c.builders(), c.locks(), c.active());
    }

    private static String norm(String id) {
        return id == null ? null : id.replaceAll("^([A-Za-z0-9-]+)_[0-9]+_[0-9a-f]{8}$", "$1_*");
    }

    /** The contents without locks and active processes: what committed state alone shows. */
    static VaultContents committedOnly(VaultContents c) {
        return new VaultContents(c.tables(), c.instances(), c.rows(), c.builders(), List.of(), Map.of());
    }

    /** Locks in the vault as {@code resource MODE pid}. */
    static Set<String> locks(Vault v) {
        Set<String> out = new TreeSet<>();
        for (LockInfo l : v.locks()) {
            out.add(l.resource() + " " + l.mode() + " " + l.processId());
        }
        return out;
    }

    /**
     * Engine invariants below the API: no cells outside a materialized instance, an active write's staging key
     * or an active execution's instance key (no leftover staged data), durable lock records equal to the
     * in-memory locks and owned by active processes, and a process record exactly for each active process.
     */
    static void assertConsistent(Vault v) {
        VaultImpl vi = (VaultImpl) v;
        Backend s = vi.store();
        Set<String> activeIds = new HashSet<>();
        s.scan(Family.PROC, Keys.prefix("P"), (k, val) -> activeIds.add(Keys.parts(k)[1]) || true);
        assertThat(activeIds).as("process records").isEqualTo(v.activeProcesses().keySet());

        Set<Long> allowed = new HashSet<>();
        s.scan(Family.META, Keys.prefix("I"), (k, val) -> {
            long key = Codec.decode(val, InstanceRecord.class, "instance").key();
            if (key != 0) {
                allowed.add(key);
            }
            return true;
        });
        for (String pid : activeIds) {
            for (LogEntry e : vi.processes().log(pid)) {
                if (e.payload() instanceof WriteProgress p) {
                    allowed.add(p.instanceKey());
                } else if (e.payload() instanceof ExecProgress p) {
                    allowed.add(p.instanceKey());
                }
            }
        }
        Map<Long, Integer> present = new LinkedHashMap<>();
        s.scan(Family.DATA, new byte[0], (k, val) -> {
            present.merge(Keys.cellInstance(k), 1, Integer::sum);
            return true;
        });
        Map<Long, Integer> orphans = new LinkedHashMap<>(present);
        orphans.keySet().removeAll(allowed);
        assertThat(orphans).as("cells (instance key -> count) that no instance or active write owns").isEmpty();

        Set<String> durable = new TreeSet<>();
        s.scan(Family.LOCKS, new byte[0], (k, val) -> {
            LockRecord r = Codec.decode(val, LockRecord.class, "lock");
            durable.add(r.resource() + " " + r.mode() + " " + r.processId());
            assertThat(activeIds).as("owner of lock record " + r).contains(r.processId());
            return true;
        });
        assertThat(durable).as("durable lock records vs in-memory locks").isEqualTo(locks(v));
    }
}
