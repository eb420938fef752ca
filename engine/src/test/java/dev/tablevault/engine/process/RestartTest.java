package dev.tablevault.engine.process;

import dev.tablevault.api.BuildContext;
import dev.tablevault.api.BuilderSpec;
import dev.tablevault.api.ExecuteOptions;
import dev.tablevault.api.InstanceOptions;
import dev.tablevault.api.LockInfo;
import dev.tablevault.api.OpOptions;
import dev.tablevault.api.ProcessInfo;
import dev.tablevault.api.ProcessState;
import dev.tablevault.api.ReadOptions;
import dev.tablevault.api.RowBuilder;
import dev.tablevault.api.TableOptions;
import dev.tablevault.api.Vault;
import dev.tablevault.api.VaultOptions;
import dev.tablevault.engine.TableVault;
import dev.tablevault.engine.TestBackend;
import dev.tablevault.engine.TestVault;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * {@code restart(true)} over more paused processes than it resumes at once ({@link Restart#THREADS}):
 * each one ends as it would alone, the failures are reported one by one, and no restart thread outlives the
 * open; an {@code Error} or a checked exception from one process's builder is reported like any failure.
 */
@ParameterizedClass
@EnumSource(TestBackend.class)
class RestartTest {
    private static final String T = "pages";
    private static final int PROCESSES = 3 * Restart.THREADS + 1;
    private static final int ROWS = 40;

    @Parameter
    TestBackend backend;

    @TempDir
    Path dir;

    private TestVault home;

    @BeforeEach
    void place() {
        home = backend.vault(dir, "v");
    }

    /** Throws at row 0 while {@link #failing}. */
    static final class Flaky implements RowBuilder {
        volatile boolean failing = true;

        @Override
        public List<Object> build(BuildContext ctx, long row) {
            if (failing) {
                throw new IllegalStateException("service down");
            }
            return List.of("page " + row);
        }
    }

    private Vault open(boolean restart, Flaky flaky) {
        return home.open(VaultOptions.defaults().create(restart ? false : !home.exists())
                .restart(restart).builder("flaky", flaky));
    }

    /** {@link #PROCESSES} executions, one per version, each paused at row 0 under id {@code run-<i>}. */
    private void pauseAll() {
        try (Vault v = open(false, new Flaky())) {
            v.createTable(T, TableOptions.defaults().multipleArtifacts(true));
            for (int i = 0; i < PROCESSES; i++) {
                String version = "v" + i;
                v.createInstance(T, InstanceOptions.defaults().version(version));
                v.putBuilder(T, version, BuilderSpec.fromYaml("name: pages_index\ntype: index\nbuilder: range\n"
                        + "changedColumns: [id]\ntypes: {id: long}\narguments: {count: " + ROWS + "}\n"),
                        OpOptions.defaults());
                v.putBuilder(T, version, BuilderSpec.fromYaml("name: text\ntype: column\nbuilder: flaky\n"
                        + "changedColumns: [text]\n"), OpOptions.defaults());
                int run = i;
                catchThrowableOfType(() -> v.executeInstance(T, ExecuteOptions.defaults().version(version)
                        .processId("run-" + run)), IllegalStateException.class);
            }
            assertThat(v.activeProcesses()).hasSize(PROCESSES);
        }
    }

    /** Other test classes may restart their own vaults meanwhile, so only this vault's threads count. */
    private boolean restartThreadAlive() {
        String name = Restart.threadName(home.localDir());
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals(name));
    }

    @Test
    void everyPausedProcessResumesAndCommits() {
        pauseAll();
        Flaky fixed = new Flaky();
        fixed.failing = false;
        try (Vault v = open(true, fixed)) {
            assertThat(restartThreadAlive()).isFalse();
            assertThat(TableVault.restartFailures(v)).isEmpty();
            assertThat(v.activeProcesses()).isEmpty();
            assertThat(v.locks()).isEmpty();
            List<Object> expected = new ArrayList<>();
            for (int r = 0; r < ROWS; r++) {
                expected.add("page " + r);
            }
            for (int i = 0; i < PROCESSES; i++) {
                assertThat(v.process("run-" + i).state()).isEqualTo(ProcessState.COMMITTED);
                assertThat(v.dataframe(T, ReadOptions.version("v" + i)).column("text"))
                        .isEqualTo(expected);
            }
        }
    }

    @Test
    void processesThatFailAgainStayPausedWithTheirLocksAndAreEachReported() {
        pauseAll();
        try (Vault v = open(true, new Flaky())) {
            assertThat(restartThreadAlive()).isFalse();
            List<String> failures = TableVault.restartFailures(v);
            assertThat(failures).hasSize(PROCESSES);
            for (int i = 0; i < PROCESSES; i++) {
                String pid = "run-" + i;
                assertThat(failures).anyMatch(f -> f.startsWith(pid + ": ") && f.contains("service down"));
                assertThat(v.activeProcesses().get(pid).state()).isEqualTo(ProcessState.PAUSED);
                assertThat(v.process(pid).attempts()).isEqualTo(1);
            }
            assertThat(v.locks()).extracting(l -> l.processId()).containsAll(
                    v.activeProcesses().keySet());
        }
    }

    /** Throws {@link #thrown} (at row 0) while it is set; any {@code Throwable}, as builder code may. */
    static final class Throwing implements RowBuilder {
        volatile Throwable thrown = new IllegalStateException("service down");

        @Override
        public List<Object> build(BuildContext ctx, long row) throws Exception {
            if (thrown instanceof Error e) {
                throw e;
            }
            throw (Exception) thrown;
        }
    }

    static Stream<Throwable> throwables() {
        return Stream.of(new OutOfMemoryError("test"), new StackOverflowError("test"), new AssertionError("test"),
                new IOException("test"));
    }

    /**
     * A resume that throws an {@code Error} (or a checked exception, which reaches the engine unwrapped) is
     * contained like any failure: the open returns, the other paused processes commit, and the failing one
     * stays paused with its error and locks, reported, its attempt counted on each open.
     */
    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("throwables")
    void aThrowableFromOneProcessIsReportedAndTheOthersStillResume(Throwable thrown) {
        Throwing throwing = new Throwing();
        Flaky flaky = new Flaky();
        VaultOptions options = VaultOptions.defaults().create(true).builder("flaky", flaky)
                .builder("throwing", throwing);
        try (Vault v = home.open(options)) {
            v.createTable(T, TableOptions.defaults().multipleArtifacts(true));
            for (String version : List.of("good1", "bad", "good2")) {
                v.createInstance(T, InstanceOptions.defaults().version(version));
                v.putBuilder(T, version, BuilderSpec.fromYaml("name: pages_index\ntype: index\nbuilder: range\n"
                        + "changedColumns: [id]\ntypes: {id: long}\narguments: {count: " + ROWS + "}\n"),
                        OpOptions.defaults());
                v.putBuilder(T, version, BuilderSpec.fromYaml("name: text\ntype: column\nbuilder: "
                        + (version.equals("bad") ? "throwing" : "flaky") + "\nchangedColumns: [text]\n"),
                        OpOptions.defaults());
                catchThrowableOfType(() -> v.executeInstance(T, ExecuteOptions.defaults().version(version)
                        .processId("run-" + version)), IllegalStateException.class);
            }
            assertThat(v.activeProcesses()).hasSize(3);
        }
        flaky.failing = false;
        throwing.thrown = thrown;
        for (int attempt = 1; attempt <= 2; attempt++) {
            try (Vault v = home.open(options.create(false).restart(true))) {
                assertThat(restartThreadAlive()).isFalse();
                String described = thrown.getClass().getName() + ": test";
                assertThat(TableVault.restartFailures(v)).containsExactly("run-bad: " + described);
                assertThat(v.activeProcesses()).containsOnlyKeys("run-bad");
                ProcessInfo bad = v.process("run-bad");
                assertThat(bad.state()).isEqualTo(ProcessState.PAUSED);
                assertThat(bad.error()).isEqualTo(described);
                assertThat(bad.attempts()).isEqualTo(attempt);
                assertThat(v.locks()).extracting(LockInfo::processId).containsOnly("run-bad");
                for (String good : List.of("good1", "good2")) {
                    assertThat(v.process("run-" + good).state()).isEqualTo(ProcessState.COMMITTED);
                    assertThat(v.dataframe(T, ReadOptions.version(good)).rowCount()).isEqualTo(ROWS);
                }
            }
        }
    }
}
