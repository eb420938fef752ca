package dev.tablevault.engine;

import dev.tablevault.api.ProcessState;
import dev.tablevault.api.Vault;
import dev.tablevault.api.VaultOptions;
import dev.tablevault.engine.Scenarios.Fixture;
import dev.tablevault.engine.Scenarios.Scenario;
import dev.tablevault.engine.process.CrashPoints;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A child JVM halted ({@code Runtime.halt}, as {@code kill -9}) at every crash point of every operation, with a
 * generated and with a user id; then the vault is reopened. Without restart it shows only committed state,
 * plus the crashed process as active (with its locks) if it had persisted anything. With {@code restart(true)}
 * every process ends: committed exactly as an uninterrupted run of the same call on a copy of the vault (ids and
 * times aside), or, for a write whose frame was not fully staged, reverted to the state before.
 *
 * <p>On both backends ({@link TestBackend}): on PostgreSQL the child is a host with a short lease, and the reopen
 * waits until that lease has ended (a case takes about 4 s there). So the default there runs a few pairs
 * ({@link Scenarios#runsOn}), with a user id only; {@code -Dtv.pg.crashes=all} runs every case. The crash tests
 * of RocksDB's own files stay RocksDB-only, in their own classes: a lost write-ahead log ({@code WalLossTest}), a
 * full disk under the vault ({@code DiskFullTest}), damaged files ({@code CorruptionSuiteTest},
 * {@code CorruptReadTest}); a PostgreSQL vault has no such files (the server keeps and recovers its own).
 */
class ChildJvmCrashTest {
    @TempDir
    Path tmp;

    static Stream<Arguments> points() {
        return Stream.of(TestBackend.values()).flatMap(b -> CrashPoints.POINTS.entrySet().stream()
                .flatMap(e -> Scenarios.forOperation(e.getKey()).stream()
                        .flatMap(s -> e.getValue().stream().filter(p -> Scenarios.runsOn(b, s, p)).flatMap(p ->
                                Stream.of(false, true).filter(id -> id || b == TestBackend.ROCKSDB
                                        || Scenarios.allOnPostgresql()).map(id -> Arguments.of(b, s, p, id))))));
    }

    /** Tables, instances, rows and builders: what a commit changes, without processes and locks. */
    private static VaultContents data(VaultContents c) {
        return new VaultContents(c.tables(), c.instances(), c.rows(), c.builders(), List.of(), Map.of());
    }

    @ParameterizedTest(name = "{0}: {1} at {2}, user id {3}")
    @MethodSource("points")
    void haltedChildLeavesCommittedStateAndRestartEndsEveryProcess(TestBackend backend, Scenario s, String point,
                                                                   boolean userId) throws Exception {
        TestVault dir = backend.vault(tmp, "v");
        Fixture fx;
        VaultContents before;
        try (Vault v = dir.create(VaultOptions.defaults())) {
            fx = s.setup().apply(v);
            before = VaultContents.of(v);
        }
        String pid = userId ? "halt-" + s.name() : null;
        // What a restart makes of the vault as the setup left it (a stop scenario's paused target resumes).
        TestVault copy = dir.copy("before");
        Scenarios.Normalized restartedBefore;
        Scenarios.Normalized uninterrupted = null;
        try (Vault v = copy.open(VaultOptions.defaults().restart(true))) {
            restartedBefore = Scenarios.normalized(v);
            if (!s.isStop()) {
                // What the call makes of it uninterrupted (a stop's target has just been resumed: nothing to stop).
                s.call().run(v, fx, null);
                uninterrupted = Scenarios.normalized(v);
            }
        }
        int exit;
        String output;
        try (ChildJvm child = ChildJvm.start(CrashChild.class, dir.location(), dir.dir().toString(), s.name(), point,
                pid == null ? "-" : pid, fx.baseId(), fx.runId() == null ? "-" : fx.runId())) {
            exit = child.waitExit();
            output = child.output();
        }
        assertThat(exit).as("the child must halt at %s:\n%s", point, output).isEqualTo(137);
        boolean committed = point.endsWith(".committed");

        dir.awaitNoLiveLease();
        try (Vault v = dir.open(VaultOptions.defaults())) {
            VaultContents after = VaultContents.of(v);
            if (committed) {
                s.verify().accept(v, fx);
            } else {
                assertThat(data(after)).as("only committed state").isEqualTo(data(before));
                List<String> crashed = after.active().keySet().stream()
                        .filter(id -> !before.active().containsKey(id)).toList();
                // One-step operations persist nothing before their single commit batch; a write persists
                // from its first staged checkpoint on, an execution from its plan on.
                boolean persisted = s.persistsAt(point);
                assertThat(crashed).as("crashed processes left active").hasSize(persisted ? 1 : 0);
                for (String id : crashed) {
                    if (pid != null) {
                        assertThat(id).isEqualTo(pid);
                    }
                    assertThat(v.locks()).as("a crashed process keeps its locks")
                            .anySatisfy(l -> assertThat(l.processId()).isEqualTo(id));
                }
            }
            Scenarios.assertConsistent(v);
        }

        try (Vault v = dir.open(VaultOptions.defaults().restart(true))) {
            assertThat(TableVault.restartFailures(v)).isEmpty();
            assertThat(v.activeProcesses()).as("every process ended").isEmpty();
            assertThat(v.locks()).isEmpty();
            List<String> crashed = v.processHistory(100).stream()
                    .filter(p -> p.author().equals("child")).map(p -> p.id()).toList();
            if (crashed.isEmpty()) {
                // Halted before anything was persisted: as if it never started.
                assertThat(Scenarios.normalized(v)).isEqualTo(restartedBefore);
            } else {
                String ended = crashed.get(0);
                ProcessState state = v.process(ended).state();
                if (state == ProcessState.REVERTED) {
                    assertThat(s.needsFrame(point)).as("only a write without its frame reverts, got %s", state)
                            .isTrue();
                    assertThat(Scenarios.normalized(v)).isEqualTo(restartedBefore);
                } else {
                    assertThat(state).isEqualTo(ProcessState.COMMITTED);
                    s.verify().accept(v, fx);
                    if (uninterrupted != null) {
                        assertThat(Scenarios.normalized(v)).as("as an uninterrupted run").isEqualTo(uninterrupted);
                    }
                }
            }
            Scenarios.assertConsistent(v);
        }
    }
}
