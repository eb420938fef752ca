package dev.tablevault.engine;

import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.Frame;
import dev.tablevault.api.ProcessState;
import dev.tablevault.api.ReadOptions;
import dev.tablevault.api.RowBuilder;
import dev.tablevault.api.TableOptions;
import dev.tablevault.api.TvStorageException;
import dev.tablevault.api.Vault;
import dev.tablevault.api.VaultOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Real OS processes: a second process writes an owned vault through its owner and can inspect it read-only; a
 * killed owner's vault opens again; and an execution killed ({@code kill -9}) at a random row resumes after
 * {@code restart(true)} to the same result, recomputing at most one checkpoint batch.
 */
class MultiProcessTest {
    @TempDir
    Path tmp;

    @Test
    void aSecondProcessWritesThroughTheOwnerAndMayReadWhileTheOwnerRuns() throws Exception {
        Path dir = tmp.resolve("v");
        try (ChildJvm owner = ChildJvm.start(OwnerChild.class, "own", dir.toString())) {
            owner.awaitLine("READY");
            try (Vault v = TableVault.open(dir, VaultOptions.defaults())) {
                assertThat(((dev.tablevault.engine.remote.RemoteVault) v).ownerPid()).isEqualTo(owner.process().pid());
                v.createTable("second", TableOptions.defaults());
                assertThat(v.tables()).containsExactly("second", "stories");
            }
            TvStorageException e = catchThrowableOfType(() -> TableVault.open(dir, VaultOptions.defaults()
                    .restart(true)), TvStorageException.class);
            assertThat(e.code()).isEqualTo(ErrorCode.VAULT_LOCKED);
            assertThat(e.getMessage()).contains(Long.toString(owner.process().pid()), "restart(true)");
            try (Vault ro = TableVault.open(dir, VaultOptions.defaults().readOnly(true))) {
                assertThat(ro.tables()).containsExactly("second", "stories");
            }
            owner.process().getOutputStream().close();
            assertThat(owner.waitExit()).as(owner.output()).isZero();
        }
        try (Vault v = TableVault.open(dir, VaultOptions.defaults())) {
            v.createTable("after", TableOptions.defaults());
            assertThat(v.tables()).containsExactly("after", "second", "stories");
        }
    }

    @Test
    void aKilledOwnersVaultOpensAgain() throws Exception {
        Path dir = tmp.resolve("v");
        try (ChildJvm owner = ChildJvm.start(OwnerChild.class, "own", dir.toString())) {
            owner.awaitLine("READY");
            owner.kill();
        }
        try (Vault v = TableVault.open(dir, VaultOptions.defaults())) {
            assertThat(v.tables()).containsExactly("stories");
        }
    }

    /**
     * Group commit and recycled WAL files under {@code kill -9}: after several WAL files were filled and reused,
     * four threads commit until a seeded number of acknowledgements; after the kill, every acknowledged table
     * exists, no deleted table came back from an old record in a reused file, and nothing is left half done.
     */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {31, 32})
    void concurrentCommitsOverRecycledWalFilesSurviveAKill(long seed) throws Exception {
        int acks = 50 + new Random(seed).nextInt(400);
        Path dir = tmp.resolve("v");
        List<String> acknowledged = new ArrayList<>();
        try (ChildJvm child = ChildJvm.start(OwnerChild.class, "churn", dir.toString())) {
            String logs = child.awaitLine("LOGS ");
            assertThat(Integer.parseInt(logs.substring(5))).as("obsolete WAL files kept for reuse").isGreaterThan(1);
            while (acknowledged.size() < acks) {
                acknowledged.add(child.awaitLine("ACK ").substring(4));
            }
            child.kill();
        }
        try (Vault v = TableVault.open(dir, VaultOptions.defaults())) {
            List<String> tables = v.tables();
            assertThat(tables).containsAll(acknowledged);
            for (int i = 0; i < OwnerChild.BIG_TABLES; i++) {
                if (i % 2 == 0) {
                    assertThat(tables).as("deleted before the kill").doesNotContain("big" + i);
                } else {
                    assertThat(v.description("big" + i).description()).isEqualTo(OwnerChild.bigDescription(i));
                }
            }
            assertThat(tables).allMatch(t -> t.startsWith("big") || t.matches("c[0-3]_\\d+"));
            assertThat(v.activeProcesses()).isEmpty();
            assertThat(v.locks()).isEmpty();
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {11, 12, 13})
    void executionKilledAtARandomRowResumesWithAtMostOneBatchAgain(long seed) throws Exception {
        Random rnd = new Random(seed);
        int rows = 3000 + rnd.nextInt(3000);
        int batch = 200 + rnd.nextInt(800);
        long stopAt = rnd.nextInt(rows);
        Path dir = tmp.resolve("v");
        OwnerChild.prepareExecute(dir, rows);
        Map<Long, AtomicInteger> calls = new ConcurrentHashMap<>();
        try (Vault v = killAndRestart(dir, calls, Integer.toString(rows), Integer.toString(batch),
                Long.toString(stopAt))) {
            List<Object> expected = new ArrayList<>();
            for (int r = 0; r < rows; r++) {
                expected.add("v" + r);
            }
            assertThat(v.dataframe("stories", ReadOptions.latest()).column("text")).isEqualTo(expected);
            long committedBeforeKill = stopAt / batch * batch;
            assertThat(calls).as("rows computed after the restart").hasSize((int) (rows - committedBeforeKill));
            assertThat(calls.keySet().stream().mapToLong(Long::longValue).min().orElse(-1))
                    .isEqualTo(committedBeforeKill);
            assertThat(stopAt - committedBeforeKill).as("rows computed twice").isLessThan(batch);
            assertThat(calls.values()).allSatisfy(c -> assertThat(c.get()).isEqualTo(1));
        }
    }

    /** The same for a re-execution: rows aligned on the key, old rows kept, one column carried over. */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {21, 22})
    void reExecutionKilledAtARandomRowResumesAndEqualsAnUninterruptedOne(long seed) throws Exception {
        Random rnd = new Random(seed);
        int rows = 2000 + 2 * rnd.nextInt(1000);
        int total = rows + rows / 2;
        int batch = 200 + rnd.nextInt(500);
        long stopAt = rnd.nextInt(total);
        Path dir = tmp.resolve("v");
        OwnerChild.prepareReExecute(dir, rows);
        Map<Long, AtomicInteger> calls = new ConcurrentHashMap<>();
        try (Vault v = killAndRestart(dir, calls, Integer.toString(rows), Integer.toString(batch),
                Long.toString(stopAt), "v2")) {
            Frame f = v.dataframe("stories", ReadOptions.version("v2"));
            assertThat(f.rowCount()).isEqualTo(total);
            for (int r = 0; r < total; r++) {
                long id = r < rows ? rows / 2 + r : r - rows;
                assertThat(f.row(r)).as("row %d", r).containsExactly(id, "L" + id, "v" + r);
            }
            long committedBeforeKill = stopAt / batch * batch;
            assertThat(calls).as("rows computed after the restart").hasSize((int) (total - committedBeforeKill));
            assertThat(calls.values()).allSatisfy(c -> assertThat(c.get()).isEqualTo(1));
        }
    }

    /**
     * Runs the {@code execute} child with {@code args} (see {@link OwnerChild}) until it reaches its stop row,
     * kills it, and reopens with {@code restart(true)} and a {@code slow} builder that counts its calls per row
     * in {@code calls}; the killed execution must have committed. The caller closes the vault.
     */
    private static Vault killAndRestart(Path dir, Map<Long, AtomicInteger> calls, String... args)
            throws Exception {
        List<String> childArgs = new ArrayList<>(List.of("execute", dir.toString()));
        childArgs.addAll(List.of(args));
        try (ChildJvm child = ChildJvm.start(OwnerChild.class, childArgs.toArray(String[]::new))) {
            child.awaitLine("AT ");
            child.kill();
        }
        RowBuilder counting = (ctx, row) -> {
            calls.computeIfAbsent(row, r -> new AtomicInteger()).incrementAndGet();
            return List.of("v" + row);
        };
        Vault v = TableVault.open(dir, VaultOptions.defaults().restart(true).builder("slow", counting));
        try {
            assertThat(TableVault.restartFailures(v)).isEmpty();
            assertThat(v.process("exec-kill").state()).isEqualTo(ProcessState.COMMITTED);
            return v;
        } catch (RuntimeException | Error e) {
            v.close();
            throw e;
        }
    }
}
