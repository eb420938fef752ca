package dev.tablevault.tools;

import dev.tablevault.api.Durability;
import dev.tablevault.api.OpOptions;
import dev.tablevault.api.TableOptions;
import dev.tablevault.api.Vault;
import dev.tablevault.api.VaultOptions;
import dev.tablevault.engine.TableVault;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code tv stats} and {@code tv history} say what the owner's retention trimmed; tv's own writes trim nothing. */
class RetentionCommandsTest {
    @TempDir
    Path tmp;

    @Test
    void statsAndHistorySayWhatWasTrimmedAndTvTrimsNothing() {
        Path dir = tmp.resolve("vault");
        try (Vault v = TableVault.open(dir, VaultOptions.defaults().create(true).durability(Durability.NONE)
                .keepFinishedProcesses(3))) {
            for (int i = 0; i < 10; i++) {
                v.createTable("t" + i, TableOptions.defaults());
                v.deleteTable("t" + i, OpOptions.defaults());
            }
        }
        Cli cli = new Cli(dir);
        Cli.Result stats = cli.tv("stats");
        assertThat(stats.exit()).isZero();
        assertThat(stats.outLines()).contains("finishedProcesses: 3", "trimmedProcesses: 17",
                "retention: keep newest 3");
        Cli.Result history = cli.tv("history");
        assertThat(history.outLines()).hasSize(5); // header, three processes, the trimmed line
        assertThat(history.outLines().get(4)).startsWith("17 older finished processes were trimmed, the newest of"
                + " them ended ").endsWith("(retention: keep newest 3)");
        assertThat(cli.tv("history", "--limit", "2").outLines()).hasSize(3); // the list stops before the oldest kept
        assertThat(cli.tv("--json", "history").out()).contains("\"trimmedProcesses\":17");

        for (int i = 0; i < 5; i++) {
            assertThat(cli.tv("create-table", "w" + i).exit()).isZero();
        }
        assertThat(cli.tv("stats").outLines()).contains("finishedProcesses: 8", "trimmedProcesses: 17");
    }
}
