package dev.tablevault.engine;

import dev.tablevault.api.BuilderSpec;
import dev.tablevault.api.Durability;
import dev.tablevault.api.ExecuteOptions;
import dev.tablevault.api.InstanceOptions;
import dev.tablevault.api.OpOptions;
import dev.tablevault.api.TableOptions;
import dev.tablevault.api.TableVaultException;
import dev.tablevault.api.Vault;
import dev.tablevault.api.VaultOptions;
import dev.tablevault.engine.store.CatalogMirror;
import dev.tablevault.engine.store.Family;
import dev.tablevault.engine.store.rocks.RocksBackend;
import dev.tablevault.engine.store.rocks.StoreHooks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rocksdb.WriteBatch;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The owner's {@link CatalogMirror} stays what RocksDB holds: after every operation of a seeded random sequence
 * (tables created, renamed and deleted; instances created, executed and deleted; builders put and deleted; many
 * of them refused), the copy its writes kept equals one read afresh, table by table. The small operations
 * validate against it, so a drift would let a table be created twice or deleted with its instances left behind.
 */
class CatalogMirrorTest {
    private static final List<String> TABLES = List.of("a", "b", "c", "d");
    private static final BuilderSpec INDEX = BuilderSpec.fromYaml(
            "name: %s_index\ntype: index\nbuilder: range\nchangedColumns: [id]\narguments: {count: 3}\n");
    private static final BuilderSpec LABEL = BuilderSpec.fromYaml("name: label\ntype: column\nbuilder: template\n"
            + "changedColumns: [label]\narguments: {template: 'L<<self.id[index]>>'}\n");

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4})
    void theCopyKeptByWritesEqualsTheStore(long seed) {
        Random rnd = new Random(seed);
        try (Vault v = TableVault.open(tmp.resolve("v"), VaultOptions.defaults().create(true)
                .durability(Durability.NONE).board(false))) {
            RocksBackend s = (RocksBackend) ((VaultImpl) v).store();
            for (int i = 0; i < 150; i++) {
                String t = TABLES.get(rnd.nextInt(TABLES.size()));
                String version = "v" + rnd.nextInt(2);
                try {
                    switch (rnd.nextInt(8)) {
                        case 0, 1 -> v.createTable(t, TableOptions.defaults());
                        case 2 -> v.deleteTable(t, OpOptions.defaults());
                        case 3 -> v.renameTable(t, TABLES.get(rnd.nextInt(TABLES.size())), OpOptions.defaults());
                        case 4 -> v.createInstance(t, InstanceOptions.defaults().version(version));
                        case 5 -> {
                            v.putBuilder(t, version, BuilderSpec.fromYaml(INDEX.text().formatted(t)),
                                    OpOptions.defaults());
                            v.putBuilder(t, version, LABEL, OpOptions.defaults());
                        }
                        case 6 -> v.executeInstance(t, ExecuteOptions.defaults().version(version));
                        default -> {
                            List<String> ids = v.instances(t, null, true);
                            if (!ids.isEmpty()) {
                                v.deleteInstance(t, ids.get(rnd.nextInt(ids.size())), OpOptions.defaults());
                            } else {
                                v.deleteBuilder(t, version, "label", OpOptions.defaults());
                            }
                        }
                    }
                } catch (TableVaultException refused) {
                    // refused operations write nothing but their REVERTED end, which the copy must survive too
                }
                assertSame(s.mirror(), StoreHooks.freshMirror(s), "after operation " + i + " (seed " + seed + ")");
            }
        }
    }

    @Test
    void aWriteItCannotSeeDropsTheCopyAndReadsGoToTheStore() throws Exception {
        try (Vault v = TableVault.open(tmp.resolve("raw"), VaultOptions.defaults().create(true)
                .durability(Durability.NONE).board(false))) {
            RocksBackend s = (RocksBackend) ((VaultImpl) v).store();
            v.createTable("a", TableOptions.defaults());
            assertThat(s.mirror()).isNotNull();
            try (WriteBatch b = new WriteBatch()) {
                b.delete(s.handle(Family.META), dev.tablevault.engine.store.Keys.table("a"));
                s.write(b);
            }
            assertThat(s.mirror()).isNull();
            assertThat(v.tables()).isEmpty();
            v.createTable("a", TableOptions.defaults()); // validated against the store: "a" is gone there
            assertThat(v.tables()).containsExactly("a");
        }
    }

    private static void assertSame(CatalogMirror kept, CatalogMirror fresh, String when) {
        assertThat(kept).as(when + ": the copy was dropped").isNotNull();
        for (String t : TABLES) {
            assertThat(kept.table(t)).as(when + ": record of " + t).isEqualTo(fresh.table(t));
            assertThat(kept.instances(t)).as(when + ": instances of " + t).isEqualTo(fresh.instances(t));
            assertThat(kept.builders(t)).as(when + ": builders of " + t).isEqualTo(fresh.builders(t));
        }
    }
}
