package dev.tablevault.engine;

import dev.tablevault.api.ColumnType;
import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.ExecuteOptions;
import dev.tablevault.api.Frame;
import dev.tablevault.api.InstanceOptions;
import dev.tablevault.api.OpOptions;
import dev.tablevault.api.ReadOptions;
import dev.tablevault.api.RowBuilder;
import dev.tablevault.api.TableOptions;
import dev.tablevault.api.TableVaultException;
import dev.tablevault.api.Vault;
import dev.tablevault.api.VaultOptions;
import dev.tablevault.api.WriteOptions;
import dev.tablevault.engine.codec.Codec;
import dev.tablevault.engine.codec.Records.LogEntry;
import dev.tablevault.engine.codec.Records.LogKind;
import dev.tablevault.engine.store.Family;
import dev.tablevault.engine.store.Keys;
import dev.tablevault.engine.store.pg.PgCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * On a backend that bounds the bytes of one commit (PostgreSQL, lowered here to 1 MiB), the engine never builds a
 * process batch above it: checkpoints are cut by bytes as well as rows, and a part too large to cut fails typed
 * before anything of it is written.
 */
class SharedVaultBatchBytesTest {
    private static final long BOUND = 1 << 20;
    private static final int ROWS = 3000;
    /** 3000 rows of it make about 1.2 MB: one checkpoint of 4096 rows would be refused. */
    private static final String PAD = "x".repeat(400);

    @TempDir
    Path tmp;

    private Vault open(String url) {
        RowBuilder text = (ctx, row) -> List.of(ctx.value("id", row) + PAD);
        System.setProperty(SharedVaults.MAX_BATCH_BYTES, Long.toString(BOUND));
        try {
            return TableVault.open(url, VaultOptions.defaults().author("t").hostId("h").localDir(tmp)
                    .builder("text", text).create(true));
        } finally {
            System.clearProperty(SharedVaults.MAX_BATCH_BYTES);
        }
    }

    private static List<Object> expected() {
        List<Object> l = new ArrayList<>();
        for (int i = 0; i < ROWS; i++) {
            l.add(i + PAD);
        }
        return l;
    }

    @Test
    void anExecutionIsCheckpointedByBytesUnderTheBound() {
        String url = PgCluster.shared().database("bytes_execute");
        String pid = "exec-bytes";
        try (Vault v = open(url)) {
            assertThat(((VaultImpl) v).store().maxBatchBytes()).isEqualTo(BOUND);
            v.createTable("stories", TableOptions.defaults());
            v.createInstance("stories", InstanceOptions.defaults());
            v.putBuilder("stories", "base", SharedVaultAcceptanceTest.index(ROWS), OpOptions.defaults());
            v.putBuilder("stories", "base", SharedVaultAcceptanceTest.column(), OpOptions.defaults());
            v.executeInstance("stories", ExecuteOptions.defaults().checkpointMillis(3_600_000).processId(pid));
            assertThat(v.dataframe("stories", ReadOptions.latest()).column("text")).isEqualTo(expected());
            int[] checkpoints = {0};
            ((VaultImpl) v).store().scan(Family.PROC, Keys.prefix("L", pid), (k, val) -> {
                if (Codec.decode(val, LogEntry.class, "log").is(LogKind.CHECKPOINT)) {
                    checkpoints[0]++;
                }
                return true;
            });
            // the plan and the index take one each; 1.2 MB of text at most 512 KiB a checkpoint takes three or more
            assertThat(checkpoints[0]).isGreaterThanOrEqualTo(5);
            assertThat(v.verify().ok()).as("%s", v.verify()).isTrue();
        }
    }

    @Test
    void aWrittenFrameIsStagedInBatchesUnderTheBound() {
        String url = PgCluster.shared().database("bytes_write");
        Frame.Builder f = Frame.builder().column("id", ColumnType.LONG).column("text", ColumnType.STRING);
        for (long i = 0; i < ROWS; i++) {
            f.row(i, i + PAD);
        }
        Frame frame = f.build();
        try (Vault v = open(url)) {
            v.createTable("frames", TableOptions.defaults());
            v.createInstance("frames", InstanceOptions.defaults().externalEdit(true));
            v.writeInstance("frames", frame, WriteOptions.defaults());
            assertThat(v.dataframe("frames", ReadOptions.latest())).isEqualTo(frame);
            assertThat(v.verify().ok()).as("%s", v.verify()).isTrue();
        }
    }

    @Test
    void aRowAboveTheBoundFailsTypedNamingSizeBoundAndWhatToDoWithNothingWritten() {
        String url = PgCluster.shared().database("bytes_too_big");
        Frame frame = Frame.builder().column("id", ColumnType.LONG).column("text", ColumnType.STRING)
                .row(1L, "y".repeat((int) BOUND + 1000)).build();
        try (Vault v = open(url)) {
            v.createTable("frames", TableOptions.defaults());
            v.createInstance("frames", InstanceOptions.defaults().externalEdit(true));
            TableVaultException e = catchThrowableOfType(() -> v.writeInstance("frames", frame,
                    WriteOptions.defaults()), TableVaultException.class);
            assertThat(e.code()).isEqualTo(ErrorCode.BAD_ARGUMENT);
            assertThat(e).hasMessageContaining("bytes in one batch, above the bound of " + BOUND + " bytes")
                    .hasMessageContaining("nothing of it was written").hasMessageContaining("ARTIFACT");
            assertThat(v.instances("frames", null, false)).as("nothing materialized").isEmpty();
            List<byte[]> cells = new ArrayList<>();
            ((VaultImpl) v).store().scan(Family.DATA, new byte[0], (k, val) -> cells.add(k));
            assertThat(cells).as("no cell written").isEmpty();
            assertThat(v.activeProcesses()).isEmpty();
            assertThat(v.verify().ok()).as("%s", v.verify()).isTrue();
        }
    }
}
