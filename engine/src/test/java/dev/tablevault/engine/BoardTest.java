package dev.tablevault.engine;

import dev.tablevault.api.BuilderSpec;
import dev.tablevault.api.ExecuteOptions;
import dev.tablevault.api.InstanceOptions;
import dev.tablevault.api.OpOptions;
import dev.tablevault.api.ProcessState;
import dev.tablevault.api.ReadOptions;
import dev.tablevault.api.RowBuilder;
import dev.tablevault.api.StopOptions;
import dev.tablevault.api.TableOptions;
import dev.tablevault.api.Vault;
import dev.tablevault.api.VaultOptions;
import dev.tablevault.engine.board.Board;
import dev.tablevault.engine.board.BoardView;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The live board across OS processes: a child JVM's execution seen advancing from this JVM, a killed runner
 * seen as crashed, damaged or deleted board files costing nothing, and vaults without a board.
 */
class BoardTest {
    private static final int ROWS = 2000;

    @TempDir
    Path tmp;

    /**
     * A child runs a slow execution; this JVM reads the board (no RocksDB) and sees its rows advance; after
     * {@code kill -9} the first read shows it CRASHED. Then the dead runner's file is damaged ({@code mode}):
     * reading never fails, and the reopened vault rebuilds the board, resumes and loses no row.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"garbage", "truncate", "delete"})
    void childExecutionAdvancesOnTheBoardAndShowsCrashedAfterKill(String mode) throws Exception {
        Path dir = tmp.resolve("v");
        OwnerChild.prepareExecute(dir, ROWS);
        long childPid;
        try (ChildJvm child = ChildJvm.start(BoardChild.class, "slow", dir.toString(), "50", "400")) {
            childPid = Long.parseLong(child.awaitLine("PID ").substring(4));
            BoardView.Row first = await(dir, r -> r.entry().step().equals("text") && r.entry().rowsDone() > 0);
            assertThat(first.status()).isEqualTo("RUNNING");
            assertThat(first.entry().operation()).isEqualTo("executeInstance");
            assertThat(first.entry().table()).isEqualTo("stories");
            assertThat(first.entry().version()).isEqualTo("base");
            assertThat(first.entry().step()).isEqualTo("text");
            assertThat(first.entry().rowsTotal()).isEqualTo(ROWS);
            assertThat(first.entry().runner().pid()).isEqualTo(childPid);
            BoardView.Row later = await(dir, r -> r.entry().rowsDone() > first.entry().rowsDone());
            assertThat(later.entry().rowsDone()).isLessThanOrEqualTo(ROWS);
            child.awaitLine("AT ");
            child.kill();
        }
        BoardView.Row dead = row(BoardView.read(dir, System.currentTimeMillis()));
        assertThat(dead.status()).as("a killed runner's entry, read right after its death").isEqualTo("CRASHED");

        Path file = boardFiles(dir).get(0);
        damage(file, mode);
        BoardView afterDamage = BoardView.read(dir, System.currentTimeMillis());
        assertThat(afterDamage.rows()).isEmpty();
        assertThat(afterDamage.found()).isFalse();

        RowBuilder fast = (ctx, row) -> List.of("v" + row);
        try (Vault v = TableVault.open(dir, VaultOptions.defaults().restart(true).builder("slow", fast))) {
            assertThat(v.process("exec-board").state()).isEqualTo(ProcessState.COMMITTED);
            List<Object> expected = new ArrayList<>();
            for (int r = 0; r < ROWS; r++) {
                expected.add("v" + r);
            }
            assertThat(v.dataframe("stories", ReadOptions.latest()).column("text")).isEqualTo(expected);
            assertThat(boardFiles(dir)).as("the dead runner's file is swept, this JVM's made")
                    .containsExactly(dir.resolve("board").resolve(ProcessHandle.current().pid() + "-"
                            + ProcessHandle.current().info().startInstant().orElseThrow().toEpochMilli() + ".cm"));
            assertThat(BoardView.read(dir, System.currentTimeMillis()).found()).isTrue();
        }
        assertThat(boardFiles(dir)).as("close deletes this JVM's file").isEmpty();
    }

    /**
     * An active process a reopened vault republishes from the store (it does not run there) shows the table and
     * version it works on, as it did while running.
     */
    @Test
    void reopenedVaultShowsAPausedExecutionsTableAndVersion() throws Exception {
        Path dir = tmp.resolve("v");
        OwnerChild.prepareExecute(dir, ROWS);
        RowBuilder failing = (ctx, row) -> {
            if (row == 100) {
                throw new IOException("source gone");
            }
            return List.of("v" + row);
        };
        try (Vault v = TableVault.open(dir, VaultOptions.defaults().builder("slow", failing))) {
            assertThatThrownBy(() -> v.executeInstance("stories", ExecuteOptions.defaults().processId("exec-p")
                    .version("base").checkpointRows(50))).isInstanceOf(IOException.class).hasMessage("source gone");
            assertThat(v.process("exec-p").state()).isEqualTo(ProcessState.PAUSED);
        }
        try (Vault v = TableVault.open(dir, VaultOptions.defaults())) {
            BoardView.Row r = await(dir, x -> x.entry().id().equals("exec-p"));
            assertThat(r.entry().running()).isFalse();
            assertThat(r.status()).isEqualTo("PAUSED");
            assertThat(r.entry().operation()).isEqualTo("executeInstance");
            assertThat(r.entry().table()).isEqualTo("stories");
            assertThat(r.entry().version()).isEqualTo("base");
        }
    }

    /** A runner whose heartbeat stops (hung, or SIGSTOP) reads as crashed once the heartbeat is stale. */
    @Test
    void staleHeartbeatReadsAsCrashed() throws Exception {
        Path dir = tmp.resolve("v");
        OwnerChild.prepareExecute(dir, ROWS);
        try (Blocked b = new Blocked(dir, VaultOptions.defaults())) {
            BoardView.Row r = await(dir, x -> x.entry().rowsDone() > 0);
            // Heartbeats only move forward, so a read at (an earlier beat + STALE) still sees a fresh one.
            long beat = r.entry().heartbeat();
            assertThat(row(BoardView.read(dir, beat + Board.STALE_MILLIS)).status()).isEqualTo("RUNNING");
            long later = System.currentTimeMillis() + TimeUnit.HOURS.toMillis(1);
            BoardView.Row stale = row(BoardView.read(dir, later));
            assertThat(later - stale.entry().heartbeat()).isGreaterThan(Board.STALE_MILLIS);
            assertThat(stale.status()).isEqualTo("CRASHED");
        }
    }

    /** A running writer's file that is deleted or truncated is made again, with its entries. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"delete", "truncate"})
    void liveBoardFileDamagedIsRemade(String mode) throws Exception {
        Path dir = tmp.resolve("v");
        OwnerChild.prepareExecute(dir, ROWS);
        try (Blocked b = new Blocked(dir, VaultOptions.defaults())) {
            await(dir, x -> x.entry().rowsDone() > 0);
            Path file = boardFiles(dir).get(0);
            long size = Files.size(file);
            damage(file, mode);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!(Files.exists(file) && Files.size(file) == size)) {
                assertThat(System.nanoTime()).as("the board file was not made again").isLessThan(deadline);
                LockSupport.parkNanos(10_000_000);
            }
            assertThat(await(dir, x -> x.entry().rowsDone() > 0).status()).isEqualTo("RUNNING");
            b.finish();
        }
    }

    /** With the board off a vault runs as before and makes no board. */
    @Test
    void vaultWithTheBoardOffWorks() throws Exception {
        Path dir = tmp.resolve("v");
        OwnerChild.prepareExecute(dir, ROWS);
        try (Blocked b = new Blocked(dir, VaultOptions.defaults().board(false))) {
            assertThat(boardFiles(dir)).as("no board file while the execution runs").isEmpty();
            assertThat(BoardView.read(dir, System.currentTimeMillis()).found()).isFalse();
            b.finish();
        }
    }

    /** Each paused process shows on the board as soon as its call returns, beside the ones paused before. */
    @Test
    void everyPausedProcessShowsWhenItsCallReturns() {
        Path dir = tmp.resolve("v");
        RowBuilder flaky = (ctx, row) -> {
            if (row == 5) {
                throw new IllegalStateException("flaky at row 5");
            }
            return List.of("x" + row);
        };
        try (Vault v = TableVault.open(dir, VaultOptions.defaults().create(true).builder("flaky", flaky))) {
            v.createTable("t", TableOptions.defaults().multipleArtifacts(true));
            List<String> paused = new ArrayList<>();
            for (String version : List.of("a", "b", "c")) {
                v.createInstance("t", InstanceOptions.defaults().version(version));
                v.putBuilder("t", version, BuilderSpec.fromYaml("name: t_index\ntype: index\nbuilder: range\n"
                        + "changedColumns: [id]\ntypes: {id: long}\narguments: {count: 10}\n"), OpOptions.defaults());
                v.putBuilder("t", version, BuilderSpec.fromYaml("name: text\ntype: column\nbuilder: flaky\n"
                        + "changedColumns: [text]\n"), OpOptions.defaults());
                assertThatThrownBy(() -> v.executeInstance("t", ExecuteOptions.defaults().version(version)
                        .processId("p-" + version).checkpointRows(2))).hasMessageContaining("flaky at row 5");
                paused.add("p-" + version);
                assertThat(BoardView.read(dir, System.currentTimeMillis()).rows())
                        .extracting(r -> r.entry().id() + " " + r.status()).containsExactlyInAnyOrderElementsOf(
                                paused.stream().map(id -> id + " PAUSED").toList());
            }
        }
    }

    /** A process the board showed is gone from it when the call that ended it returns: a commit and a stop. */
    @Test
    void aShownProcessIsGoneWhenTheCallThatEndedItReturns() throws Exception {
        Path dir = tmp.resolve("v");
        CountDownLatch shown = new CountDownLatch(1);
        RowBuilder waits = (ctx, row) -> {
            if (row == 5) {
                shown.await();
            }
            if (row == 7 && ctx.arguments().containsKey("fail")) {
                throw new IllegalStateException("down at row 7");
            }
            return List.of("x" + row);
        };
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (Vault v = TableVault.open(dir, VaultOptions.defaults().create(true).builder("waits", waits))) {
            v.createTable("t", TableOptions.defaults().multipleArtifacts(true));
            for (String version : List.of("a", "b")) {
                v.createInstance("t", InstanceOptions.defaults().version(version));
                v.putBuilder("t", version, BuilderSpec.fromYaml("name: t_index\ntype: index\nbuilder: range\n"
                        + "changedColumns: [id]\ntypes: {id: long}\narguments: {count: 10}\n"), OpOptions.defaults());
                v.putBuilder("t", version, BuilderSpec.fromYaml("name: text\ntype: column\nbuilder: waits\n"
                        + "changedColumns: [text]\n" + (version.equals("b") ? "arguments: {fail: 1}\n" : "")),
                        OpOptions.defaults());
            }
            Future<String> run = pool.submit(() -> v.executeInstance("t", ExecuteOptions.defaults().version("a")
                    .processId("p-a").checkpointRows(2)));
            await(dir, r -> r.entry().id().equals("p-a") && r.entry().running());
            shown.countDown();
            run.get(2, TimeUnit.MINUTES);
            assertThat(BoardView.read(dir, System.currentTimeMillis()).rows()).as("after the commit").isEmpty();

            assertThatThrownBy(() -> v.executeInstance("t", ExecuteOptions.defaults().version("b").processId("p-b")
                    .checkpointRows(2))).hasMessageContaining("down at row 7");
            assertThat(BoardView.read(dir, System.currentTimeMillis()).rows()).extracting(r -> r.status())
                    .containsExactly("PAUSED");
            v.stopProcess("p-b", StopOptions.defaults());
            assertThat(BoardView.read(dir, System.currentTimeMillis()).rows()).as("after the stop").isEmpty();
        } finally {
            shown.countDown();
            pool.shutdown();
            assertThat(pool.awaitTermination(2, TimeUnit.MINUTES)).isTrue();
        }
    }

    /** A JVM started without Chronicle's flags opens and writes the vault, board-less, with one clear warning. */
    @Test
    void jvmWithoutTheFlagsRunsBoardless() throws Exception {
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m",
                "-cp", System.getProperty("java.class.path"), BoardChild.class.getName(), "plain",
                tmp.resolve("v").toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("OK [stories]").contains("runs without its live board")
                .contains("--add-opens=java.base/java.lang=ALL-UNNAMED").contains("VaultOptions.board(false)");
        assertThat(out.split("live board", -1)).as("one warning: " + out).hasSize(2);
    }

    /** An execution in this JVM whose builder blocks at row 100 until {@link #finish}. */
    private static final class Blocked implements AutoCloseable {
        private final CountDownLatch release = new CountDownLatch(1);
        private final ExecutorService pool = Executors.newSingleThreadExecutor();
        private final Vault vault;
        private final Future<String> run;

        Blocked(Path dir, VaultOptions options) {
            RowBuilder blocking = (ctx, row) -> {
                if (row == 100) {
                    release.await();
                }
                return List.of("v" + row);
            };
            vault = TableVault.open(dir, options.builder("slow", blocking));
            run = pool.submit(() -> vault.executeInstance("stories", ExecuteOptions.defaults().version("base")
                    .checkpointRows(50)));
        }

        void finish() throws Exception {
            release.countDown();
            run.get(2, TimeUnit.MINUTES);
            assertThat(vault.dataframe("stories", ReadOptions.latest()).rowCount()).isEqualTo(ROWS);
        }

        @Override
        public void close() throws Exception {
            release.countDown();
            pool.shutdown();
            assertThat(pool.awaitTermination(2, TimeUnit.MINUTES)).isTrue();
            vault.close();
        }
    }

    private static void damage(Path file, String mode) throws IOException {
        switch (mode) {
            case "delete" -> Files.delete(file);
            case "truncate" -> {
                try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
                    f.setLength(f.length() / 3);
                }
            }
            default -> {
                byte[] junk = new byte[(int) Files.size(file)];
                new Random(7).nextBytes(junk);
                Files.write(file, junk);
            }
        }
    }

    private static List<Path> boardFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir.resolve("board"))) {
            return s.toList();
        }
    }

    private static BoardView.Row row(BoardView view) {
        assertThat(view.rows()).as("board rows; notes %s", view.notes()).hasSize(1);
        return view.rows().get(0);
    }

    /** Reads the board until its one row matches (a safety net of 60 s fails the test). */
    private static BoardView.Row await(Path dir, Predicate<BoardView.Row> test) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            BoardView view = BoardView.read(dir, System.currentTimeMillis());
            if (view.rows().size() == 1 && test.test(view.rows().get(0))) {
                return view.rows().get(0);
            }
            assertThat(System.nanoTime()).as("board never matched; last %s", view).isLessThan(deadline);
            LockSupport.parkNanos(20_000_000);
        }
    }
}
