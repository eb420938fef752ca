package dev.tablevault.engine;

import dev.tablevault.api.BuildContext;
import dev.tablevault.api.BuilderSpec;
import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.ExecuteOptions;
import dev.tablevault.api.Frame;
import dev.tablevault.api.GeneratorBuilder;
import dev.tablevault.api.InstanceDescription;
import dev.tablevault.api.InstanceOptions;
import dev.tablevault.api.OpOptions;
import dev.tablevault.api.ProcessState;
import dev.tablevault.api.ReadOptions;
import dev.tablevault.api.RowBuilder;
import dev.tablevault.api.StopOptions;
import dev.tablevault.api.TableOptions;
import dev.tablevault.api.TvBuilderException;
import dev.tablevault.api.TvLockException;
import dev.tablevault.api.TvProcessException;
import dev.tablevault.api.Vault;
import dev.tablevault.api.VaultOptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * {@code executeInstance} against the error-handling page, step by step: external error without an id
 * (reverted, partial rows kept on the temporary instance, rerun rebuilds), engine error (reverted even with
 * an id), external error with an id (paused with its locks; another execute is refused naming it; a same-id
 * rerun, {@code resumeProcess} or a {@code restart(true)} open continues from the checkpoint without
 * recomputing a committed row), and {@code stopProcess} with and without {@code materialize}.
 */
@ParameterizedClass
@EnumSource(TestBackend.class)
class ExecuteInstanceTest {
    private static final String T = "stories";

    @Parameter
    TestBackend backend;

    @TempDir
    Path dir;

    private TestVault home;

    @BeforeEach
    void place() {
        home = backend.vault(dir, "v");
    }

    /** The application's own failure, as a model API would raise it. */
    static final class ServiceDown extends Exception {
        private static final long serialVersionUID = 1L;

        ServiceDown(String m) {
            super(m);
        }
    }

    /** Counts calls per row; fails (once per listed row, or always) as told. */
    static final class Counting implements RowBuilder {
        final Map<Long, AtomicInteger> calls = new ConcurrentHashMap<>();
        final Set<Long> failOnce = ConcurrentHashMap.newKeySet();
        volatile long failFrom = Long.MAX_VALUE;

        @Override
        public List<Object> build(BuildContext ctx, long row) throws ServiceDown {
            calls.computeIfAbsent(row, r -> new AtomicInteger()).incrementAndGet();
            if (failOnce.remove(row) || row >= failFrom) {
                throw new ServiceDown("service down at row " + row);
            }
            return List.of("v" + ctx.value("id", row));
        }

        int total() {
            return calls.values().stream().mapToInt(AtomicInteger::get).sum();
        }
    }

    private final Counting counting = new Counting();

    private Vault open(boolean create, boolean restart) {
        return home.open(VaultOptions.defaults().author("t").create(create)
                .restart(restart).lockTimeout(java.time.Duration.ZERO).builder("counting", counting));
    }

    private static BuilderSpec index(int rows) {
        return BuilderSpec.fromYaml("name: stories_index\ntype: index\nbuilder: range\nchangedColumns: [id]\n"
                + "types: {id: long}\narguments: {count: " + rows + "}\n");
    }

    private static BuilderSpec column(int threads) {
        return BuilderSpec.fromYaml("name: text\ntype: column\nbuilder: counting\nchangedColumns: [text]\n"
                + "dependencies: [stories_index]\nthreads: " + threads + "\n");
    }

    private static void setup(Vault v, int rows, int threads) {
        v.createTable(T, TableOptions.defaults());
        v.createInstance(T, InstanceOptions.defaults().version("base"));
        v.putBuilder(T, "base", index(rows), OpOptions.defaults());
        v.putBuilder(T, "base", column(threads), OpOptions.defaults());
    }

    private static ExecuteOptions every(int rows) {
        return ExecuteOptions.defaults().checkpointRows(rows).checkpointMillis(3_600_000);
    }

    private static List<Object> expected(int rows) {
        List<Object> l = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            l.add("v" + i);
        }
        return l;
    }

    @Test
    void aRenamedTableExecutesWithItsIndexBuilderRenamed() {
        try (Vault v = open(true, false)) {
            setup(v, 100, 1);
            v.executeInstance(T, every(100));
            String first = v.instances(T, null, false).get(0);
            v.createInstance(T, InstanceOptions.defaults().version("base").copy(true));
            v.renameTable(T, "tales", OpOptions.defaults());
            assertThat(v.builders("tales", "base")).containsExactly("tales_index", "text");
            assertThat(v.builders("tales", first)).containsExactly("tales_index", "text");
            assertThat(v.builder("tales", "base", "text").text()).contains("tales_index");
            v.executeInstance("tales", every(100));
            assertThat(v.dataframe("tales", ReadOptions.latest()).column("text")).isEqualTo(expected(100));
            assertThat(counting.total()).as("the unchanged column is carried over, not rebuilt").isEqualTo(100);
        }
    }

    @Test
    void executesIndexThenColumnsAndMaterializes() {
        try (Vault v = open(true, false)) {
            setup(v, 3000, 1);
            v.executeInstance(T, every(1000));
            Frame f = v.dataframe(T, ReadOptions.latest());
            assertThat(f.columnNames()).containsExactly("id", "text");
            assertThat(f.rowCount()).isEqualTo(3000);
            assertThat(f.column("id").get(2999)).isEqualTo(2999L);
            assertThat(f.column("text")).isEqualTo(expected(3000));
            String id = v.instances(T, null, false).get(0);
            assertThat(v.builders(T, id)).containsExactly("stories_index", "text");
            assertThat(v.instances(T, null, true)).containsExactly(id);
            assertThat(v.activeProcesses()).isEmpty();
            assertThat(v.locks()).isEmpty();
            assertThat(counting.total()).isEqualTo(3000);
        }
    }

    @Test
    void externalErrorWithoutIdRevertsKeepsPartialRowsAndRerunRebuilds() {
        try (Vault v = open(true, false)) {
            setup(v, 3000, 1);
            counting.failOnce.add(2500L);
            ServiceDown e = catchThrowableOfType(() -> v.executeInstance(T, every(1000)), ServiceDown.class);
            assertThat(e).as("the builder's own exception, unchanged").hasMessage("service down at row 2500");
            assertThat(v.activeProcesses()).isEmpty();
            assertThat(v.locks()).isEmpty();
            assertThat(v.instances(T, null, false)).isEmpty();
            Frame partial = v.dataframe(T, ReadOptions.id("TEMP_base"));
            assertThat(partial.rowCount()).isEqualTo(3000);
            assertThat(partial.column("text").subList(0, 2500)).isEqualTo(expected(2500));
            assertThat(partial.column("text").subList(2500, 3000)).containsOnlyNulls();

            counting.calls.clear();
            v.executeInstance(T, every(1000));
            assertThat(counting.total()).as("a rerun without an id starts over").isEqualTo(3000);
            assertThat(v.dataframe(T, ReadOptions.latest()).column("text")).isEqualTo(expected(3000));
        }
    }

    @Test
    void engineErrorRevertsEvenWithAnId() {
        try (Vault v = open(true, false)) {
            setup(v, 10, 1);
            v.putBuilder(T, "base", BuilderSpec.fromYaml("name: text\ntype: column\nbuilder: counting\n"
                    + "changedColumns: [text]\ntypes: {text: long}\n"), OpOptions.defaults());
            String pid = v.generateProcessId();
            TvBuilderException e = catchThrowableOfType(() -> v.executeInstance(T, every(4).processId(pid)),
                    TvBuilderException.class);
            assertThat(e.getMessage()).contains("'text'", "LONG", "row 0");
            assertThat(v.isProcessComplete(pid)).isTrue();
            assertThat(v.process(pid).state()).isEqualTo(ProcessState.REVERTED);
            assertThat(v.locks()).isEmpty();
        }
    }

    @Test
    void externalErrorWithIdPausesHoldsLocksAndSameIdResumesWithoutRecomputing() {
        try (Vault v = open(true, false)) {
            setup(v, 3000, 1);
            counting.failOnce.add(2500L);
            String pid = v.generateProcessId();
            catchThrowableOfType(() -> v.executeInstance(T, every(1000).processId(pid)), ServiceDown.class);
            assertThat(v.activeProcesses().get(pid).state()).isEqualTo(ProcessState.PAUSED);
            assertThat(v.locks()).anySatisfy(l -> assertThat(l.processId()).isEqualTo(pid));

            TvLockException lock = catchThrowableOfType(() -> v.executeInstance(T, every(1000)),
                    TvLockException.class);
            assertThat(lock.code()).isEqualTo(ErrorCode.LOCK_HELD_BY_PAUSED);
            assertThat(lock.holderId()).isEqualTo(pid);
            assertThat(lock.holderError()).contains("service down at row 2500");

            TvProcessException changed = catchThrowableOfType(() -> v.executeInstance(T,
                    every(999).processId(pid)), TvProcessException.class);
            assertThat(changed.code()).isEqualTo(ErrorCode.PROCESS_ARGUMENTS_CHANGED);
            assertThat(changed.getMessage()).contains("checkpointRows was 1000, now 999");

            v.executeInstance(T, every(1000).processId(pid));
            assertThat(v.dataframe(T, ReadOptions.latest()).column("text")).isEqualTo(expected(3000));
            for (long r = 0; r < 3000; r++) {
                assertThat(counting.calls.get(r).get()).as("row %d", r).isEqualTo(r == 2500 ? 2 : 1);
            }
            assertThat(v.process(pid).state()).isEqualTo(ProcessState.COMMITTED);
        }
    }

    @Test
    void restartInANewVaultObjectResumes() {
        String pid;
        try (Vault v = open(true, false)) {
            setup(v, 3000, 1);
            counting.failOnce.add(1200L);
            pid = v.generateProcessId();
            catchThrowableOfType(() -> v.executeInstance(T, every(1000).processId(pid)), ServiceDown.class);
        }
        try (Vault v = open(false, true)) {
            assertThat(v.isProcessComplete(pid)).isTrue();
            assertThat(v.dataframe(T, ReadOptions.latest()).column("text")).isEqualTo(expected(3000));
            assertThat(counting.calls.get(0L).get()).isEqualTo(1);
            assertThat(counting.calls.get(1200L).get()).isEqualTo(2);
            assertThat(counting.total()).isEqualTo(3001);
        }
    }

    @Test
    void stopWithoutMaterializeRevertsAndWithMaterializeKeepsAnUnsuccessfulInstance() {
        try (Vault v = open(true, false)) {
            setup(v, 3000, 1);
            counting.failOnce.add(1500L);
            String first = v.generateProcessId();
            catchThrowableOfType(() -> v.executeInstance(T, every(1000).processId(first)), ServiceDown.class);
            v.stopProcess(first, StopOptions.defaults());
            assertThat(v.process(first).state()).isEqualTo(ProcessState.STOPPED);
            assertThat(v.instances(T, null, false)).isEmpty();
            assertThat(v.locks()).isEmpty();

            counting.failOnce.add(1500L);
            String second = v.generateProcessId();
            catchThrowableOfType(() -> v.executeInstance(T, every(1000).processId(second)), ServiceDown.class);
            v.stopProcess(second, StopOptions.defaults().materialize(true));
            assertThat(v.process(second).state()).isEqualTo(ProcessState.MATERIALIZED);
            String id = v.instances(T, null, false).get(0);
            InstanceDescription d = v.description(T, id);
            assertThat(d.success()).isFalse();
            assertThat(d.active()).isTrue();
            assertThat(v.description(T).artifactInstance()).as("artifacts stay instance-specific").isNull();
            Frame f = v.dataframe(T, ReadOptions.id(id));
            assertThat(f.rowCount()).isEqualTo(3000);
            assertThat(f.column("text").subList(0, 1500)).isEqualTo(expected(1500));
            assertThat(f.column("text").subList(1500, 3000)).containsOnlyNulls();
            assertThat(catchThrowableOfType(() -> v.dataframe(T, ReadOptions.latest().successfulOnly(true)),
                    dev.tablevault.api.TvArgumentException.class).code()).isEqualTo(ErrorCode.NOT_FOUND);
        }
    }

    /** Out-of-order completion on several threads: every committed row is computed exactly once. */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4})
    void threadsFinishingOutOfOrderResumeWithoutRecomputingCommittedRows(long seed) {
        Random rnd = new Random(seed);
        int rows = 2000 + rnd.nextInt(3000);
        try (Vault v = open(true, false)) {
            setup(v, rows, 2 + rnd.nextInt(4));
            String pid = v.generateProcessId();
            for (int k = 0; k < 3; k++) {
                counting.failOnce.add((long) rnd.nextInt(rows));
            }
            int failures = counting.failOnce.size();
            ExecuteOptions o = every(1 + rnd.nextInt(700)).processId(pid);
            int attempts = 0;
            while (!v.isProcessComplete(pid)) {
                attempts++;
                try {
                    v.executeInstance(T, o);
                } catch (Throwable e) {
                    assertThat(e).isInstanceOf(ServiceDown.class);
                }
                assertThat(attempts).isLessThanOrEqualTo(failures + 1);
            }
            assertThat(v.dataframe(T, ReadOptions.latest()).column("text")).isEqualTo(expected(rows));
            // A row may run again only if it was in flight, uncommitted, when another row failed.
            int extra = counting.total() - rows;
            assertThat(extra).isGreaterThanOrEqualTo(failures);
            assertThat(counting.calls).hasSize(rows);
        }
    }

    @Test
    void generatorIsToldWhereToResume() {
        List<Long> firstRows = new ArrayList<>();
        AtomicInteger failAt = new AtomicInteger(2600);
        GeneratorBuilder gen = (ctx, first, sink) -> {
            firstRows.add(first);
            for (long r = first; r < ctx.rowCount(); r++) {
                if (r == failAt.get()) {
                    failAt.set(-1);
                    throw new ServiceDown("generator down at " + r);
                }
                sink.accept(List.of(r * 2));
            }
        };
        try (Vault v = backend.vault(dir, "g").create(VaultOptions.defaults().builder("gen", gen))) {
            v.createTable(T, TableOptions.defaults());
            v.createInstance(T, InstanceOptions.defaults().version("base"));
            v.putBuilder(T, "base", index(3000), OpOptions.defaults());
            v.putBuilder(T, "base", BuilderSpec.fromYaml("name: twice\ntype: column\nbuilder: gen\nmode: generator\n"
                    + "changedColumns: [twice]\ntypes: {twice: long}\n"), OpOptions.defaults());
            String pid = v.generateProcessId();
            catchThrowableOfType(() -> v.executeInstance(T, every(1000).processId(pid)), ServiceDown.class);
            v.resumeProcess(pid);
            assertThat(firstRows).containsExactly(0L, 2600L);
            List<Object> twice = v.dataframe(T, ReadOptions.latest()).column("twice");
            for (int r = 0; r < 3000; r++) {
                assertThat(twice.get(r)).isEqualTo(2L * r);
            }
        }
    }

    @Test
    void missingCodeAtResumeKeepsThePauseUntilItIsRegistered() {
        String pid;
        try (Vault v = open(true, false)) {
            setup(v, 3000, 1);
            counting.failOnce.add(2000L);
            pid = v.generateProcessId();
            catchThrowableOfType(() -> v.executeInstance(T, every(1000).processId(pid)), ServiceDown.class);
        }
        try (Vault v = home.open(VaultOptions.defaults().restart(true))) {
            assertThat(v.activeProcesses().get(pid).state()).isEqualTo(ProcessState.PAUSED);
            assertThat(v.activeProcesses().get(pid).error()).contains("counting", "not registered");
        }
        try (Vault v = open(false, true)) {
            assertThat(v.isProcessComplete(pid)).isTrue();
            assertThat(v.dataframe(T, ReadOptions.latest()).column("text")).isEqualTo(expected(3000));
            assertThat(counting.calls.get(0L).get()).isEqualTo(1);
        }
    }

    @Test
    void aRunningExecuteStopsCooperativelyAtItsNextCheckpoint() throws Exception {
        CountDownLatch reached = new CountDownLatch(1);
        RowBuilder waits = (ctx, row) -> {
            if (row == 1500) {
                reached.countDown();
                long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
                while (!ctx.stopRequested() && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                }
            }
            return List.of("w" + row);
        };
        try (Vault v = backend.vault(dir, "s").create(VaultOptions.defaults()
                .builder("counting", waits))) {
            setup(v, 3000, 1);
            String pid = v.generateProcessId();
            ExecutorService pool = Executors.newSingleThreadExecutor();
            try {
                Future<?> run = pool.submit(() -> v.executeInstance(T, every(1000).processId(pid)));
                assertThat(reached.await(1, TimeUnit.MINUTES)).isTrue();
                v.stopProcess(pid, StopOptions.defaults().materialize(true));
                Throwable e = catchThrowableOfType(() -> run.get(1, TimeUnit.MINUTES),
                        java.util.concurrent.ExecutionException.class).getCause();
                assertThat(e).isInstanceOf(TvProcessException.class);
                assertThat(((TvProcessException) e).code()).isEqualTo(ErrorCode.PROCESS_STOPPED);
            } finally {
                pool.shutdownNow();
            }
            assertThat(v.process(pid).state()).isEqualTo(ProcessState.MATERIALIZED);
            Frame f = v.dataframe(T, ReadOptions.latest());
            assertThat(f.column("text").get(0)).isEqualTo("w0");
            assertThat(f.column("text").get(2999)).isNull();
            assertThat(v.locks()).isEmpty();
        }
    }

    @Test
    void sideEffectTableDeactivatesOtherInstancesAndAnOriginLendsItsBuilders() {
        try (Vault v = open(true, false)) {
            v.createTable(T, TableOptions.defaults().sideEffects(true));
            v.createInstance(T, InstanceOptions.defaults().version("base"));
            v.putBuilder(T, "base", index(5), OpOptions.defaults());
            v.putBuilder(T, "base", column(1), OpOptions.defaults());
            v.executeInstance(T, ExecuteOptions.defaults());
            String first = v.instances(T, null, false).get(0);

            v.createInstance(T, InstanceOptions.defaults().version("v2").originId(first));
            assertThat(v.builders(T, "v2")).containsExactly("stories_index", "text");
            // Forced, so every column changes: deactivation follows a materialization that changed something.
            v.executeInstance(T, ExecuteOptions.defaults().version("v2").force(true));
            String second = v.instances(T, "v2", false).get(0);
            assertThat(v.description(T, first).active()).isFalse();
            assertThat(v.description(T, second).active()).isTrue();
            assertThat(v.dataframe(T, ReadOptions.latest()).column("text")).isEqualTo(expected(5));
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"no-index", "cycle", "unknown-code", "wrong-mode", "unknown-dependency", "twice"})
    void badPlansAreTypedErrorsAndChangeNothing(String kind) {
        try (Vault v = open(true, false)) {
            v.createTable(T, TableOptions.defaults());
            v.createInstance(T, InstanceOptions.defaults().version("base"));
            if (!kind.equals("no-index")) {
                v.putBuilder(T, "base", index(5), OpOptions.defaults());
            }
            String a = switch (kind) {
                case "cycle" -> "name: a\ntype: column\nbuilder: counting\nchangedColumns: [a]\ndependencies: [b]\n";
                case "unknown-code" -> "name: a\ntype: column\nbuilder: com.example.Nope\nchangedColumns: [a]\n";
                case "wrong-mode" -> "name: a\ntype: column\nbuilder: counting\nmode: generator\nchangedColumns: [a]\n";
                case "unknown-dependency" -> "name: a\ntype: column\nbuilder: counting\nchangedColumns: [a]\n"
                        + "dependencies: [self.zzz]\n";
                case "twice" -> "name: a\ntype: column\nbuilder: counting\nchangedColumns: [id]\n";
                default -> "name: a\ntype: column\nbuilder: counting\nchangedColumns: [a]\n";
            };
            v.putBuilder(T, "base", BuilderSpec.fromYaml(a), OpOptions.defaults());
            if (kind.equals("cycle")) {
                v.putBuilder(T, "base", BuilderSpec.fromYaml("name: b\ntype: column\nbuilder: counting\n"
                        + "changedColumns: [b]\ndependencies: [a]\n"), OpOptions.defaults());
            }
            VaultContents before = VaultContents.of(v);
            String pid = v.generateProcessId();
            TvBuilderException e = catchThrowableOfType(() -> v.executeInstance(T,
                    ExecuteOptions.defaults().processId(pid)), TvBuilderException.class);
            assertThat(e.code()).isEqualTo(kind.equals("unknown-code") ? ErrorCode.BUILDER_NOT_FOUND
                    : ErrorCode.BAD_BUILDER);
            assertThat(e.getMessage()).contains(switch (kind) {
                case "no-index" -> "stories_index";
                case "cycle" -> "cycle";
                case "unknown-code" -> "com.example.Nope";
                case "wrong-mode" -> "mode";
                case "unknown-dependency" -> "self.zzz";
                default -> "'id'";
            });
            assertThat(v.process(pid).state()).isEqualTo(ProcessState.REVERTED);
            assertThat(VaultContents.of(v)).isEqualTo(before);
            assertThat(counting.total()).isZero();
        }
    }

    @Test
    void aListenerIsToldOfEachCheckpointAndEachFinishedBuilder() {
        try (Vault v = open(true, false)) {
            setup(v, 100, 1);
            List<String> seen = new ArrayList<>();
            v.executeInstance(T, every(30).listener((builder, step, steps, done, rows) ->
                    seen.add(builder + " " + step + "/" + steps + " " + done + "/" + rows)));
            assertThat(seen).containsExactly("stories_index 0/2 30/-1", "stories_index 0/2 60/-1",
                    "stories_index 0/2 90/-1", "stories_index 0/2 100/-1", "stories_index 0/2 100/100", "text 1/2 30/100", "text 1/2 60/100",
                    "text 1/2 90/100", "text 1/2 100/100", "text 1/2 100/100");
        }
    }
}
