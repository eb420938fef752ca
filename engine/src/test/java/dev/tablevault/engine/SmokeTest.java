package dev.tablevault.engine;

import dev.tablevault.api.ColumnType;
import dev.tablevault.api.Durability;
import dev.tablevault.api.Frame;
import dev.tablevault.api.InstanceOptions;
import dev.tablevault.api.ReadOptions;
import dev.tablevault.api.TableOptions;
import dev.tablevault.api.Vault;
import dev.tablevault.api.VaultOptions;
import dev.tablevault.api.WriteOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

@ParameterizedClass
@EnumSource(TestBackend.class)
class SmokeTest {
    @Parameter
    TestBackend backend;

    @TempDir
    Path tmp;

    @Test
    void writesAndReadsBackAcrossReopen() {
        TestVault dir = backend.vault(tmp, "v");
        Frame f = Frame.builder().column("id", ColumnType.LONG).column("name", ColumnType.STRING)
                .row(1L, "a").row(2L, null).build();
        try (Vault v = dir.open(VaultOptions.defaults().create(true).durability(Durability.NONE))) {
            v.createTable("stories", TableOptions.defaults());
            v.createInstance("stories", InstanceOptions.defaults().externalEdit(true));
            v.writeInstance("stories", f, WriteOptions.defaults());
            assertThat(v.dataframe("stories", ReadOptions.latest())).isEqualTo(f);
        }
        try (Vault v = dir.open(VaultOptions.defaults())) {
            assertThat(v.tables()).containsExactly("stories");
            assertThat(v.dataframe("stories", ReadOptions.latest())).isEqualTo(f);
            assertThat(v.activeProcesses()).isEmpty();
            assertThat(v.processHistory(10)).hasSize(3);
        }
    }
}
