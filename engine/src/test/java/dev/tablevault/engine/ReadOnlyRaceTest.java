package dev.tablevault.engine;

import dev.tablevault.api.ReadOptions;
import dev.tablevault.api.TvStorageException;
import dev.tablevault.api.Vault;
import dev.tablevault.api.VaultOptions;
import dev.tablevault.api.VerifyReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A read-only handle beside an owner (another OS process) that replaces and deletes table files all the time:
 * opening it and verifying the vault never report damage that is not there.
 */
class ReadOnlyRaceTest {
    private static final int RUNS = 20;

    @TempDir
    Path tmp;

    @Test
    void readOnlyOpenAndVerifyBesideACompactingOwnerFindNothing() throws Exception {
        Path dir = tmp.resolve("v");
        List<String> failures = new ArrayList<>();
        try (ChildJvm owner = ChildJvm.start(OwnerChild.class, "compact", dir.toString())) {
            owner.awaitLine("READY");
            for (int i = 0; i < RUNS; i++) {
                // At least one compaction between runs, so every run may meet files deleted under it.
                owner.awaitLine("ROUND");
                try (Vault ro = TableVault.open(dir, VaultOptions.defaults().readOnly(true))) {
                    VerifyReport r = ro.verify();
                    for (String e : r.errors()) {
                        failures.add("run " + i + ", verify: " + e);
                    }
                    assertThat(ro.dataframe("big", ReadOptions.version("base")).rowCount()).isEqualTo(20_000);
                } catch (TvStorageException e) {
                    failures.add("run " + i + ", open: " + e.code() + " " + e.getMessage());
                }
            }
            owner.process().getOutputStream().close();
            String done = owner.awaitLine("DONE");
            assertThat(Integer.parseInt(done.substring(5))).as("rounds").isLessThan(OwnerChild.MAX_COMPACT_ROUNDS);
            assertThat(owner.waitExit()).as(owner.output()).isZero();
        }
        assertThat(failures).as("false alarms").isEmpty();
    }
}
