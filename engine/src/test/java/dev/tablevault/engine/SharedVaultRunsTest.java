package dev.tablevault.engine;

import dev.tablevault.api.TableOptions;
import dev.tablevault.api.Vault;
import dev.tablevault.api.VaultOptions;
import dev.tablevault.engine.process.CrashPoints;
import dev.tablevault.engine.store.Backend;
import dev.tablevault.engine.store.pg.PgCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** {@link TableVault#runs}: each active process's run on a shared vault (what {@code tv ps} shows); none elsewhere. */
class SharedVaultRunsTest {
    @TempDir
    Path tmp;

    private static void pausedCreateTable(Vault v, String pid) {
        CrashPoints.arm("createTable.locked", CrashPoints.Action.THROW);
        try {
            catchThrowableOfType(() -> v.createTable("stories", TableOptions.defaults().processId(pid)),
                    CrashPoints.InjectedFailure.class);
        } finally {
            CrashPoints.disarmAll();
        }
    }

    @Test
    void aPausedRunHasNoHostAndAClaimTakesItUnderTheNextFence() {
        String url = PgCluster.shared().database("runs_query");
        VaultOptions o = VaultOptions.defaults().hostId("h1").localDir(tmp.resolve("h1")).restart(false);
        try (Vault v = TableVault.open(url, o.create(true))) {
            assertThat(TableVault.runs(v)).isEmpty();
            pausedCreateTable(v, "job-1");
            assertThat(TableVault.runs(v)).isEqualTo(Map.of("job-1", new Backend.Run("PAUSED", null, 1, 0)));
            ((VaultImpl) v).store().claimRun("job-1");
            assertThat(TableVault.runs(v)).isEqualTo(Map.of("job-1", new Backend.Run("RUNNING", "h1", 2, 1)));
        }
        try (Vault reader = TableVault.open(url, VaultOptions.defaults().hostId("h2").localDir(tmp.resolve("h2"))
                .readOnly(true))) {
            assertThat(TableVault.runs(reader)).as("the close released h1: its run is handed over, fenced")
                    .isEqualTo(Map.of("job-1", new Backend.Run("ORPHANED", null, 3, 1)));
        }
    }

    @Test
    void aDirectoryVaultHasNoRuns() {
        try (Vault v = TableVault.open(tmp.resolve("v"), VaultOptions.defaults().create(true))) {
            pausedCreateTable(v, "job-1");
            assertThat(v.activeProcesses()).containsKey("job-1");
            assertThat(TableVault.runs(v)).isEmpty();
        }
    }
}
