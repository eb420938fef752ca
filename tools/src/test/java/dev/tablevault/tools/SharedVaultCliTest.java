package dev.tablevault.tools;

import dev.tablevault.api.ReadOptions;
import dev.tablevault.api.Vault;
import dev.tablevault.api.VaultOptions;
import dev.tablevault.engine.ChildJvm;
import dev.tablevault.engine.SharingChild;
import dev.tablevault.engine.TableVault;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CLI on a vault another OS process (an application, {@link SharingChild} {@code hold}) owns: {@code tv ps},
 * {@code tv stop} (revert and {@code --materialize}), {@code tv resume} and writes go through the owner.
 */
class SharedVaultCliTest {
    @TempDir
    Path tmp;

    @Test
    void stopResumeAndWritesOfProcessesAnApplicationHolds() throws Exception {
        Path vault = tmp.resolve("vault");
        Cli cli = new Cli(vault);
        try (ChildJvm app = ChildJvm.start(SharingChild.class, "hold", vault.toString())) {
            String line;
            while (!"READY".equals(line = app.nextLine())) {
                assertThat(line).as(app.output()).isNotNull();
            }
            Cli.Result ps = cli.tv("ps");
            assertThat(ps.exit()).as(ps.err()).isZero();
            assertThat(ps.out()).contains("p-a", "p-b", "p-c", "PAUSED", "flaky at row 5");

            Cli.Result stop = cli.tv("stop", "p-a");
            assertThat(stop.exit()).as(stop.err()).isZero();
            Cli.Result materialize = cli.tv("stop", "p-b", "--materialize");
            assertThat(materialize.exit()).as(materialize.err()).isZero();
            Cli.Result resume = cli.tv("resume", "p-c");
            assertThat(resume.exit()).as(resume.err()).isZero();
            Cli.Result create = cli.tv("create-table", "other");
            assertThat(create.exit()).as(create.err()).isZero();

            Cli.Result after = cli.tv("--json", "ps");
            assertThat(after.exit()).as(after.err()).isZero();
            assertThat(after.out()).doesNotContain("p-a", "p-b", "p-c");
            Cli.Result tables = cli.tv("tables");
            assertThat(tables.outLines()).containsExactly("other", "stories");

            app.process().getOutputStream().close();
            assertThat(app.process().waitFor()).as(app.output()).isZero();
        }
        try (Vault v = TableVault.open(vault, VaultOptions.defaults().readOnly(true))) {
            assertThat(v.instances("stories", "a", false)).isEmpty(); // reverted: only TEMP_a is left
            String b = v.instances("stories", "b", false).get(0);
            assertThat(v.description("stories", b).success()).isFalse();
            List<Object> text = v.dataframe("stories", ReadOptions.version("c")).column("text");
            assertThat(text).containsExactly("x0", "x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9");
        }
    }
}
