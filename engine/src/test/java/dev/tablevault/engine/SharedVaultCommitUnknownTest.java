package dev.tablevault.engine;

import dev.tablevault.api.BuildContext;
import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.ExecuteOptions;
import dev.tablevault.api.InstanceOptions;
import dev.tablevault.api.OpOptions;
import dev.tablevault.api.ProcessInfo;
import dev.tablevault.api.ProcessState;
import dev.tablevault.api.ReadOptions;
import dev.tablevault.api.RowBuilder;
import dev.tablevault.api.TableOptions;
import dev.tablevault.api.TableVaultException;
import dev.tablevault.api.Vault;
import dev.tablevault.api.VaultOptions;
import dev.tablevault.engine.codec.Codec;
import dev.tablevault.engine.codec.Records.LogEntry;
import dev.tablevault.engine.store.Backend;
import dev.tablevault.engine.store.Family;
import dev.tablevault.engine.store.Keys;
import dev.tablevault.engine.store.pg.PgCluster;
import dev.tablevault.engine.store.pg.PgFaults;
import dev.tablevault.engine.store.pg.PgFaults.Loss;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * A process batch whose commit's acknowledgement is lost ({@code COMMIT_UNKNOWN}) is settled by reading it back:
 * landed, the operation goes on with nothing written twice; not landed, it is written once more and lands once.
 * Both for a process's first batch (which also starts its run row) and a later checkpoint.
 */
class SharedVaultCommitUnknownTest {
    private static final String T = "stories";
    private static final int ROWS = 3000;

    @TempDir
    Path tmp;

    /** {@code "v<id>"} for every row; runs a hook once at some rows. */
    static final class Hooked implements RowBuilder {
        final Map<Long, Runnable> hooks = new ConcurrentHashMap<>();

        @Override
        public List<Object> build(BuildContext ctx, long row) {
            Runnable hook = hooks.remove(row);
            if (hook != null) {
                hook.run();
            }
            return List.of("v" + ctx.value("id", row));
        }
    }

    /** {@code armAtRow}: the column's row whose build arms the loss of the next commit; -1 for the first batch. */
    @Test
    void aBatchStillUnknownAfterItsRetryFailsTypedIsDroppedHereAndResumesAfterAReopen() {
        String url = PgCluster.shared().database("unknown_twice");
        String pid = "exec-twice";
        Hooked text = new Hooked();
        VaultOptions options = VaultOptions.defaults().author("t").hostId("h").localDir(tmp.resolve("h"))
                .lockTimeout(Duration.ZERO).builder("text", text);
        ProcessInfo before;
        try (Vault v = TableVault.open(url, options.create(true))) {
            setUp(v);
            PgFaults faults = PgFaults.install(((VaultImpl) v).store(), url, pid);
            text.hooks.put(1200L, () -> faults.arm(Loss.BEFORE_COMMIT, 2));
            TableVaultException e = catchThrowableOfType(() -> v.executeInstance(T, execute(pid)),
                    TableVaultException.class);
            assertThat(e.code()).isEqualTo(ErrorCode.COMMIT_UNKNOWN);
            assertThat(e).hasMessageContaining("process " + pid).hasMessageContaining("is unknown")
                    .hasMessageContaining("its retry failed too").hasMessageContaining("restart(true)");
            assertThat(faults.logSizes()).as("the lost commit, then its lost retry, then nothing more")
                    .endsWith(faults.lostAt(), faults.lostAt());
            before = v.process(pid);
            assertThat(before.state()).as("dropped here, neither paused nor reverted").isEqualTo(ProcessState.RUNNING);
        }
        try (Vault v = TableVault.open(url, options.restart(true))) {
            assertThat(TableVault.restartFailures(v)).isEmpty();
            assertThat(v.process(pid).state()).isEqualTo(ProcessState.COMMITTED);
            assertThat(v.dataframe(T, ReadOptions.latest()).column("text"))
                    .isEqualTo(SharedVaultAcceptanceTest.expected(ROWS));
            assertThat(v.verify().ok()).as("%s", v.verify()).isTrue();
        }
    }

    private static void setUp(Vault v) {
        v.createTable(T, TableOptions.defaults());
        v.createInstance(T, InstanceOptions.defaults().version("base"));
        v.putBuilder(T, "base", SharedVaultAcceptanceTest.index(ROWS), OpOptions.defaults());
        v.putBuilder(T, "base", SharedVaultAcceptanceTest.column(), OpOptions.defaults());
    }

    private static ExecuteOptions execute(String pid) {
        return ExecuteOptions.defaults().checkpointRows(500).checkpointMillis(3_600_000).processId(pid);
    }

    @ParameterizedTest(name = "{0} at row {1}")
    @CsvSource({"AFTER_COMMIT, -1", "BEFORE_COMMIT, -1", "AFTER_COMMIT, 1200", "BEFORE_COMMIT, 1200"})
    void aLostAcknowledgementIsSettledByReadingBack(Loss loss, long armAtRow) {
        String url = PgCluster.shared().database("unknown_" + loss.name().toLowerCase() + "_" + (armAtRow + 1));
        String pid = "exec-unknown";
        Hooked text = new Hooked();
        VaultOptions options = VaultOptions.defaults().author("t").hostId("h").localDir(tmp.resolve("h"))
                .lockTimeout(Duration.ZERO).builder("text", text).create(true);
        try (Vault v = TableVault.open(url, options)) {
            setUp(v);
            Backend store = ((VaultImpl) v).store();
            PgFaults faults = PgFaults.install(store, url, pid);
            if (armAtRow < 0) {
                faults.arm(loss);
            } else {
                text.hooks.put(armAtRow, () -> faults.arm(loss));
            }

            v.executeInstance(T, execute(pid));

            assertThat(v.process(pid).state()).isEqualTo(ProcessState.COMMITTED);
            if (armAtRow < 0) {
                assertThat(faults.lostAt()).as("the first batch: BEGIN, LOCKS, CHECKPOINT").isEqualTo(3);
            } else {
                assertThat(faults.lostAt()).as("a later checkpoint").isGreaterThan(3);
            }
            List<Long> sizes = faults.logSizes();
            List<Long> repeated = new ArrayList<>();
            for (int i = 1; i < sizes.size(); i++) {
                assertThat(sizes.get(i)).as("%s", sizes).isGreaterThanOrEqualTo(sizes.get(i - 1));
                if (sizes.get(i).equals(sizes.get(i - 1))) {
                    repeated.add(sizes.get(i));
                }
            }
            // landed: never written again; not landed: written exactly once more
            assertThat(repeated).as("%s", sizes)
                    .isEqualTo(loss == Loss.AFTER_COMMIT ? List.of() : List.of(faults.lostAt()));
            List<Long> seqs = new ArrayList<>();
            store.scan(Family.PROC, Keys.prefix("L", pid),
                    (k, val) -> seqs.add(Codec.decode(val, LogEntry.class, "log").seq()));
            assertThat(seqs).as("one entry per sequence number")
                    .isEqualTo(java.util.stream.LongStream.range(0, seqs.size()).boxed().toList());
            assertThat((long) seqs.size()).as("the END batch's count is the last").isEqualTo(sizes.get(sizes.size() - 1));
            assertThat(SharedVaultFenceTest.run(url, pid)).as("the run row is gone with the end").isNull();
            assertThat(v.dataframe(T, ReadOptions.latest()).column("text"))
                    .isEqualTo(SharedVaultAcceptanceTest.expected(ROWS));
            assertThat(v.verify().ok()).as("%s", v.verify()).isTrue();
        }
    }
}
