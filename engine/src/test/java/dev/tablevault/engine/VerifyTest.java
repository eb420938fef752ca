package dev.tablevault.engine;

import dev.tablevault.api.BuilderSpec;
import dev.tablevault.api.ColumnType;
import dev.tablevault.api.Durability;
import dev.tablevault.api.ExecuteOptions;
import dev.tablevault.api.Frame;
import dev.tablevault.api.InstanceOptions;
import dev.tablevault.api.LockMode;
import dev.tablevault.api.OpOptions;
import dev.tablevault.api.RowBuilder;
import dev.tablevault.api.TableOptions;
import dev.tablevault.api.Vault;
import dev.tablevault.api.VaultOptions;
import dev.tablevault.api.VaultStats;
import dev.tablevault.api.VerifyReport;
import dev.tablevault.api.WriteOptions;
import dev.tablevault.engine.codec.Codec;
import dev.tablevault.engine.codec.Records.ArtifactSums;
import dev.tablevault.engine.codec.Records.InstanceRecord;
import dev.tablevault.engine.codec.Records.LockRecord;
import dev.tablevault.engine.codec.Records.TableRecord;
import dev.tablevault.engine.data.Artifacts;
import dev.tablevault.engine.store.Family;
import dev.tablevault.engine.store.Keys;
import dev.tablevault.engine.store.rocks.RocksBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.rocksdb.WriteBatch;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * {@code verify} finds nothing wrong in a vault that only the engine wrote, whatever state its processes are
 * in; it names each kind of damage written behind the engine's back; {@code stats} counts what is there, also
 * on a read-only handle, with the owner's durability.
 */
class VerifyTest {
    private static final String T = "docs";

    @TempDir
    Path dir;

    /** Fails at row 2 while {@link #failing}. */
    static final class Flaky implements RowBuilder {
        volatile boolean failing = true;

        @Override
        public List<Object> build(dev.tablevault.api.BuildContext ctx, long row) {
            if (failing && row == 2) {
                throw new IllegalStateException("service down");
            }
            return List.of("text " + row);
        }
    }

    private Vault open(boolean create) {
        return TableVault.open(dir.resolve("v"), VaultOptions.defaults().create(create)
                .durability(Durability.GROUPED).builder("flaky", new Flaky()));
    }

    /** Tables, an executed instance, a written one with an artifact, a paused execution holding its locks. */
    private static void fill(Vault v) throws Exception {
        v.createTable(T, TableOptions.defaults());
        v.createInstance(T, InstanceOptions.defaults().version("base"));
        v.putBuilder(T, "base", BuilderSpec.fromYaml("name: docs_index\ntype: index\nbuilder: range\n"
                + "changedColumns: [id]\ntypes: {id: long}\narguments: {count: 5}\n"), OpOptions.defaults());
        v.putBuilder(T, "base", BuilderSpec.fromYaml("name: text\ntype: column\nbuilder: flaky\n"
                + "changedColumns: [text]\n"), OpOptions.defaults());
        catchThrowableOfType(() -> v.executeInstance(T, ExecuteOptions.defaults().processId("paused")
                .checkpointRows(1)), IllegalStateException.class);
        v.createTable("scans", TableOptions.defaults());
        v.createInstance("scans", InstanceOptions.defaults().version("w").externalEdit(true));
        Path staging = v.artifactFolder("scans", "TEMP_w");
        Files.writeString(staging.resolve("0.txt"), "scan");
        v.writeInstance("scans", Frame.builder().column("scan", ColumnType.ARTIFACT).row("0.txt").build(),
                WriteOptions.defaults().version("w"));
        v.createInstance("scans", InstanceOptions.defaults().version("w2").externalEdit(true));
    }

    @Test
    void aVaultTheEngineWroteIsClean() throws Exception {
        try (Vault v = open(true)) {
            fill(v);
            VerifyReport r = v.verify();
            assertThat(r.errors()).isEmpty();
            assertThat(r.warnings()).isEmpty();
            assertThat(r.ok()).isTrue();
            VaultStats s = v.stats();
            assertThat(s.durability()).isEqualTo(Durability.GROUPED);
            assertThat(s.formatVersion()).isEqualTo(TableVault.FORMAT_VERSION);
            assertThat(s.tables()).isEqualTo(2);
            assertThat(s.instances()).isEqualTo(1);
            assertThat(s.temporaryInstances()).isEqualTo(2);
            assertThat(s.activeProcesses()).isEqualTo(1);
            assertThat(s.finishedProcesses()).as("8 writes ended; the execution is paused").isEqualTo(8);
            assertThat(s.locks()).isEqualTo(v.locks().size()).isPositive();
            assertThat(s.walBytes()).isPositive();
            assertThat(s.artifactBytes()).isEqualTo(4);
        }
        try (Vault ro = TableVault.open(dir.resolve("v"), VaultOptions.defaults().readOnly(true))) {
            assertThat(ro.verify().ok()).isTrue();
            VaultStats s = ro.stats();
            assertThat(s.durability()).as("the owner's, not the read-only handle's").isEqualTo(Durability.GROUPED);
            assertThat(s.activeProcesses()).isEqualTo(1);
            assertThat(ro.artifactFolder("scans", "TEMP_w2")).as("a read-only handle creates no folder")
                    .doesNotExist();
        }
    }

    /** Damage written behind the engine's back, and a word each report must contain. */
    enum Damage {
        INSTANCE_OF_MISSING_TABLE("ghost"),
        LOCK_OF_NO_PROCESS("gone-pid"),
        CELLS_OF_NO_INSTANCE("instance key 987654"),
        ARTIFACT_INSTANCE_MISSING("missing_0_0"),
        ARTIFACT_SUMS_OF_NO_INSTANCE("instance key 424243");

        final String named;

        Damage(String named) {
            this.named = named;
        }
    }

    @ParameterizedTest
    @EnumSource(Damage.class)
    void eachKindOfDamageIsAnErrorNamingIt(Damage damage) throws Exception {
        try (Vault v = open(true)) {
            fill(v);
            RocksBackend s = (RocksBackend) ((VaultImpl) v).store();
            try (WriteBatch b = new WriteBatch()) {
                switch (damage) {
                    case INSTANCE_OF_MISSING_TABLE -> b.put(s.handle(Family.META), Keys.instance("ghost", "x_1_1"),
                            Codec.encode(new InstanceRecord("ghost", "x_1_1", "x", false, true, null, null, "",
                                    List.of(), List.of(), 0, true, true, 0, 0, "p", 0, List.of(), List.of(),
                                    List.of(), List.of())));
                    case LOCK_OF_NO_PROCESS -> b.put(s.handle(Family.LOCKS), Keys.lock("table:docs", "gone-pid"),
                            Codec.encode(new LockRecord("table:docs", LockMode.SHARED, "gone-pid")));
                    case CELLS_OF_NO_INSTANCE -> b.put(s.handle(Family.DATA), Keys.cell(987654L, 0, 0), new byte[]{1});
                    case ARTIFACT_INSTANCE_MISSING -> b.put(s.handle(Family.META), Keys.table(T), Codec.encode(
                            new TableRecord(T, "", false, false, 0, "missing_0_0")));
                    case ARTIFACT_SUMS_OF_NO_INSTANCE -> b.put(s.handle(Family.META), Artifacts.sumsKey(424243L),
                            Codec.encode(new ArtifactSums(List.of("a.txt"), List.of(1L), List.of(7))));
                }
                s.write(b);
            }
            VerifyReport r = v.verify();
            assertThat(r.ok()).isFalse();
            assertThat(r.errors()).singleElement().asString().contains(damage.named);
        }
    }

    @Test
    void anOrphanArtifactFolderIsAWarningNotAnError() throws Exception {
        try (Vault v = open(true)) {
            fill(v);
            Files.createDirectories(dir.resolve("v/artifacts/424242"));
            Files.createDirectories(dir.resolve("v/artifacts/temp/scans/TEMP_gone"));
            VerifyReport r = v.verify();
            assertThat(r.ok()).isTrue();
            assertThat(r.warnings()).hasSize(2).anyMatch(w -> w.contains("424242")).anyMatch(w -> w.contains(
                    "TEMP_gone"));
        }
    }
}
