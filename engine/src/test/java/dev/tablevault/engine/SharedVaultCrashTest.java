package dev.tablevault.engine;

import dev.tablevault.api.InstanceOptions;
import dev.tablevault.api.OpOptions;
import dev.tablevault.api.ProcessState;
import dev.tablevault.api.ReadOptions;
import dev.tablevault.api.TableOptions;
import dev.tablevault.api.Vault;
import dev.tablevault.api.VaultOptions;
import dev.tablevault.engine.store.pg.PgCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A writing host killed ({@code destroyForcibly}) in the middle of an execution on a shared vault: once its lease
 * has run out by the database clock, another host opens the vault with {@code restart(true)}, claims the dead host's
 * run (swept first: ORPHANED under fence 2, then claimed under fence 3), and the process finishes with the result an
 * uninterrupted run gives, and {@code verify} is clean.
 */
class SharedVaultCrashTest {
    private static final int ROWS = 3000;

    @TempDir
    Path tmp;

    @Test
    void aKilledWritersExecutionFinishesOnRestartOnceItsLeaseEnds() throws Exception {
        String url = PgCluster.shared().database("crash");
        SharedVaultFenceTest.Hooked text = new SharedVaultFenceTest.Hooked();
        VaultOptions options = VaultOptions.defaults().author("t").hostId("survivor").adoptOrphans(false)
                .localDir(tmp.resolve("s")).builder("text", text);
        try (Vault v = TableVault.open(url, options.create(true))) {
            v.createTable("stories", TableOptions.defaults());
            v.createInstance("stories", InstanceOptions.defaults().version("base"));
            v.putBuilder("stories", "base", SharedVaultAcceptanceTest.index(ROWS), OpOptions.defaults());
            v.putBuilder("stories", "base", SharedVaultAcceptanceTest.column(), OpOptions.defaults());
        }
        String pid = "exec-crashed";
        try (ChildJvm child = ChildJvm.start(SharedVaultChild.class, url, "victim", tmp.resolve("c").toString(),
                pid)) {
            child.awaitLine("blocked");
            child.process().destroyForcibly();
            assertThat(child.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        TestVault.awaitNoLiveLease(url);
        assertThat(SharedVaultFenceTest.run(url, pid)).as("left running by the killed host")
                .isEqualTo(new SharedVaultFenceTest.Run("RUNNING", "victim", 1));
        SharedVaultFenceTest.Run[] resumed = new SharedVaultFenceTest.Run[1];
        text.hooks.put(ROWS - 1L, () -> resumed[0] = SharedVaultFenceTest.run(url, pid));
        try (Vault v = TableVault.open(url, options.restart(true))) {
            assertThat(TableVault.restartFailures(v)).isEmpty();
            // the restart's claim swept the dead host first (ORPHANED, fence 2), then claimed the run (fence 3)
            assertThat(resumed[0]).isEqualTo(new SharedVaultFenceTest.Run("RUNNING", "survivor", 3));
            assertThat(SharedVaultFenceTest.run(url, pid)).as("deleted by the end").isNull();
            assertThat(v.process(pid).state()).isEqualTo(ProcessState.COMMITTED);
            assertThat(v.dataframe("stories", ReadOptions.latest()).column("text"))
                    .isEqualTo(SharedVaultAcceptanceTest.expected(ROWS));
            assertThat(v.activeProcesses()).isEmpty();
            assertThat(v.locks()).isEmpty();
            assertThat(v.verify().ok()).as("%s", v.verify()).isTrue();
        }
    }
}
