package dev.tablevault.engine;

import dev.tablevault.api.BuilderSpec;
import dev.tablevault.api.ColumnType;
import dev.tablevault.api.ExecuteOptions;
import dev.tablevault.api.Frame;
import dev.tablevault.api.FrameBuilder;
import dev.tablevault.api.GeneratorBuilder;
import dev.tablevault.api.InstanceOptions;
import dev.tablevault.api.OpOptions;
import dev.tablevault.api.ProcessInfo;
import dev.tablevault.api.ProcessState;
import dev.tablevault.api.ReadOptions;
import dev.tablevault.api.RowBuilder;
import dev.tablevault.api.TableOptions;
import dev.tablevault.api.Vault;
import dev.tablevault.api.VaultOptions;
import dev.tablevault.engine.remote.RemoteVault;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Executions asked for through a vault another handle owns (in this JVM: the second read-write open works through
 * the owner's socket exactly as another OS process would): builder code the caller registered runs in the
 * caller, with the context it would have in the owner (arguments with references resolved per row, values of
 * columns built before, sub-processes through its vault), and builds what the owner builds; its failure reaches
 * the caller as the very object it threw, and the caller resumes the paused process with its code.
 */
class RemoteExecutionTest {
    static final int ROWS = 3_000;
    /** Rows of the executions that fail and resume: checkpoints of 10 rows, each one fsync. */
    static final int SMALL = 200;

    @TempDir
    Path tmp;

    /** The builders under test, counting their calls per handle. */
    static final class Code {
        final AtomicInteger rowCalls = new AtomicInteger();
        final AtomicInteger frameCalls = new AtomicInteger();
        final AtomicInteger generatorCalls = new AtomicInteger();
        final Set<Long> rows = ConcurrentHashMap.newKeySet();
        final AtomicBoolean failAt37 = new AtomicBoolean();
        volatile RuntimeException failure;

        VaultOptions on(VaultOptions o) {
            RowBuilder label = (ctx, row) -> {
                rowCalls.incrementAndGet();
                rows.add(row);
                if (failAt37.get() && row == 37) {
                    failure = new Boom("boom at " + row);
                    throw failure;
                }
                if (row == 0) {
                    ctx.vault().createTable("made_by_" + ctx.builderName() + "_" + ctx.version(),
                            TableOptions.defaults());
                }
                return List.of(ctx.arguments().get("label") + "/" + ctx.value("id", row) + "/" + ctx.rowCount());
            };
            FrameBuilder doubled = ctx -> {
                frameCalls.incrementAndGet();
                Frame.Builder f = Frame.builder().column("twice", ColumnType.LONG);
                for (long r = 0; r < ctx.rowCount(); r++) {
                    f.row(2 * (Long) ctx.value("id", r) + ((Number) ctx.arguments().get("plus")).longValue());
                }
                return f.build();
            };
            GeneratorBuilder squares = (ctx, first, sink) -> {
                generatorCalls.incrementAndGet();
                for (long r = first; r < ctx.rowCount(); r++) {
                    sink.accept(List.of(r * r));
                }
            };
            return o.builder("label", label).builder("doubled", doubled).builder("squares", squares);
        }
    }

    /** A builder's own exception class, so the test sees the object itself arrive. */
    static final class Boom extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Boom(String message) {
            super(message);
        }
    }

    private static void prepare(Vault v, String version, int threads) {
        prepare(v, version, threads, ROWS);
    }

    private static void prepare(Vault v, String version, int threads, int rows) {
        v.createInstance("t", InstanceOptions.defaults().version(version));
        v.putBuilder("t", version, BuilderSpec.fromYaml("name: t_index\ntype: index\nbuilder: range\n"
                + "changedColumns: [id]\ntypes: {id: long}\narguments: {start: 10, count: " + rows + "}\n"),
                OpOptions.defaults());
        v.putBuilder("t", version, BuilderSpec.fromYaml("name: label\ntype: column\nbuilder: label\n"
                + "changedColumns: [label]\nthreads: " + threads + "\ndependencies: [t_index]\n"
                + "arguments: {label: 'L<<self.id[index]>>'}\n"), OpOptions.defaults());
        v.putBuilder("t", version, BuilderSpec.fromYaml("name: twice\ntype: column\nbuilder: doubled\n"
                + "mode: whole-column\nchangedColumns: [twice]\ntypes: {twice: long}\ndependencies: [t_index]\n"
                + "arguments: {plus: 1}\n"), OpOptions.defaults());
        v.putBuilder("t", version, BuilderSpec.fromYaml("name: sq\ntype: column\nbuilder: squares\n"
                + "mode: generator\nchangedColumns: [sq]\ntypes: {sq: long}\n"), OpOptions.defaults());
    }

    @Test
    void theCallersCodeRunsInTheCallerAndBuildsWhatTheOwnerBuilds() {
        Path dir = tmp.resolve("v");
        Code inOwner = new Code();
        Code inClient = new Code();
        try (Vault owner = TableVault.open(dir, inOwner.on(VaultOptions.defaults().create(true)));
             Vault client = TableVault.open(dir, inClient.on(VaultOptions.defaults()))) {
            assertThat(client).isInstanceOf(RemoteVault.class);
            owner.createTable("t", TableOptions.defaults());
            prepare(owner, "o1", 1);
            owner.executeInstance("t", ExecuteOptions.defaults().version("o1").checkpointRows(500).force(true));
            assertThat(inOwner.rowCalls).hasValue(ROWS);
            for (int threads : List.of(1, 4)) {
                String version = "c" + threads;
                prepare(owner, version, threads);
                int before = inClient.rowCalls.get();
                String pid = client.executeInstance("t", ExecuteOptions.defaults().version(version)
                        .checkpointRows(500).force(true));
                assertThat(inClient.rowCalls.get() - before).isEqualTo(ROWS);
                Frame want = owner.dataframe("t", ReadOptions.version("o1"));
                Frame got = owner.dataframe("t", ReadOptions.version(version));
                assertThat(got.columns()).isEqualTo(want.columns());
                for (String c : List.of("id", "label", "twice", "sq")) {
                    assertThat(got.column(c)).as(c).isEqualTo(want.column(c));
                }
                assertThat(got.column("label").get(7)).isEqualTo("L17/17/" + ROWS);
                assertThat(owner.tables()).contains("made_by_label_" + version);
                assertThat(owner.processHistory(50)).filteredOn(p -> "createTable".equals(p.operation())
                        && pid.equals(p.parentId())).hasSize(1);
            }
            assertThat(inOwner.rowCalls).hasValue(ROWS); // the owner's code never ran for the client
            assertThat(inOwner.frameCalls).hasValue(1);
            assertThat(inOwner.generatorCalls).hasValue(1);
            assertThat(inClient.frameCalls).hasValue(2);
            assertThat(inClient.generatorCalls).hasValue(2);
        }
    }

    @Test
    void aFailureOfTheCallersCodeReachesItAsItsOwnObjectAndTheCallerResumes() {
        Path dir = tmp.resolve("v");
        Code inClient = new Code();
        try (Vault owner = TableVault.open(dir, VaultOptions.defaults().create(true));
             Vault client = TableVault.open(dir, inClient.on(VaultOptions.defaults()))) {
            owner.createTable("t", TableOptions.defaults());
            prepare(owner, "p", 1, SMALL);
            inClient.failAt37.set(true);
            Throwable thrown = catchThrowable(() -> client.executeInstance("t", ExecuteOptions.defaults()
                    .version("p").processId("exec-p").checkpointRows(10).force(true)));
            assertThat(thrown).isSameAs(inClient.failure);
            ProcessInfo paused = owner.process("exec-p");
            assertThat(paused.state()).isEqualTo(ProcessState.PAUSED);
            assertThat(paused.error()).isEqualTo(Boom.class.getName() + ": boom at 37");
            assertThat(paused.runnerPid()).isEqualTo(ProcessHandle.current().pid());

            // the caller resumes it with its code; only rows not committed are built again
            inClient.failAt37.set(false);
            inClient.rows.clear();
            assertThat(client.resumeProcess("exec-p")).isEqualTo("exec-p");
            assertThat(owner.process("exec-p").state()).isEqualTo(ProcessState.COMMITTED);
            assertThat(inClient.rows).hasSize(SMALL - 37).doesNotContain(36L).contains(37L);
            assertThat(owner.dataframe("t", ReadOptions.version("p")).column("label").get(37))
                    .isEqualTo("L47/47/" + SMALL);

            // without a process id the execution reverts, and the caller still gets its own object
            prepare(owner, "q", 4, SMALL);
            inClient.failAt37.set(true);
            Throwable again = catchThrowable(() -> client.executeInstance("t", ExecuteOptions.defaults()
                    .version("q").checkpointRows(10).force(true)));
            assertThat(again).isSameAs(inClient.failure);
            assertThat(owner.activeProcesses()).isEmpty();
            assertThat(owner.instances("t", "q", true)).containsExactly("TEMP_q");
        }
    }

    @Test
    void theResumeOfAnExecutionNeedingTheCallersCodeWasRefusedBefore() {
        Path dir = tmp.resolve("v");
        Code inOwner = new Code();
        Code inClient = new Code();
        try (Vault owner = TableVault.open(dir, inOwner.on(VaultOptions.defaults().create(true)));
             Vault client = TableVault.open(dir, inClient.on(VaultOptions.defaults()))) {
            owner.createTable("t", TableOptions.defaults());
            prepare(owner, "p", 1, SMALL);
            inOwner.failAt37.set(true);
            catchThrowable(() -> owner.executeInstance("t", ExecuteOptions.defaults().version("p").processId("x")
                    .checkpointRows(10).force(true)));
            assertThat(owner.process("x").state()).isEqualTo(ProcessState.PAUSED);
            client.resumeProcess("x");
            assertThat(owner.process("x").state()).isEqualTo(ProcessState.COMMITTED);
            assertThat(inClient.rowCalls.get()).isEqualTo(SMALL - 37);
            Map<String, ProcessInfo> active = owner.activeProcesses();
            assertThat(active).isEmpty();
        }
    }
}
