package dev.tablevault.engine.fuzz;

import dev.tablevault.api.BuilderSpec;
import dev.tablevault.api.ColumnType;
import dev.tablevault.api.Durability;
import dev.tablevault.api.Frame;
import dev.tablevault.api.InstanceOptions;
import dev.tablevault.api.OpOptions;
import dev.tablevault.api.TableOptions;
import dev.tablevault.api.Vault;
import dev.tablevault.api.VaultOptions;
import dev.tablevault.api.WriteOptions;
import dev.tablevault.engine.TableVault;
import dev.tablevault.engine.VaultContents;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The vault the API fuzz runs against: table {@code stories} with a materialized instance of version
 * {@code base} ({@link #baseId}), a builder instance {@code TEMP_draft} (builders {@code stories_index},
 * {@code title}) and an empty external-edit {@code TEMP_ext}; empty tables {@code other} and {@code loads}
 * (where inputs are executed: deleting an executed instance leaves an empty table as it was); and a CSV file
 * {@link #csv} specs may name. {@link #restore} undoes what an accepted input added; when it cannot (the input
 * deleted or renamed part of the fixture), the fixture is built again in a fresh folder. The CLI fuzz fills and
 * restores its vault with the static {@link #fill} and {@link #undo}.
 */
public final class Fixture implements AutoCloseable {
    static final Frame FRAME = Frame.builder().column("id", ColumnType.LONG).column("title", ColumnType.STRING)
            .row(1L, "one").row(2L, null).build();
    static final BuilderSpec INDEX = BuilderSpec.fromYaml("name: stories_index\ntype: index\nbuilder: range\n"
            + "changedColumns: [id]\nprimaryKey: [id]\ntypes: {id: long}\narguments: {count: 3}\n");
    static final BuilderSpec LOADS_INDEX = BuilderSpec.fromYaml(INDEX.text().replace("stories_index", "loads_index"));
    static final BuilderSpec TITLE = BuilderSpec.fromYaml("name: title\ntype: column\nbuilder: template\n"
            + "changedColumns: [title]\narguments: {template: 't-<<self.id>>'}\n");

    private final Path root;
    final Path csv;
    private int builds;
    Vault vault;
    String baseId;

    Fixture(Path root) throws java.io.IOException {
        this.root = root;
        this.csv = root.resolve("seed.csv");
        java.nio.file.Files.writeString(csv, "id,title\n1,one\n2,two\n3,three\n");
        build();
    }

    public static VaultOptions options() {
        // A short lock timeout: a lock some failed input left held fails the next input fast, not after 5 s.
        return VaultOptions.defaults().durability(Durability.NONE).lockTimeout(Duration.ofMillis(200));
    }

    /** Opens a fresh vault and fills it. */
    void build() {
        if (vault != null) {
            vault.close();
        }
        vault = TableVault.open(root.resolve("vault-" + ++builds), options().create(true));
        baseId = fill(vault);
    }

    /** Creates the fixture's tables and instances in the empty {@code vault}; returns the id of {@code base}. */
    public static String fill(Vault vault) {
        vault.createTable("stories", TableOptions.defaults());
        vault.createInstance("stories", InstanceOptions.defaults().externalEdit(true));
        vault.writeInstance("stories", FRAME, WriteOptions.defaults());
        vault.createInstance("stories", InstanceOptions.defaults().version("draft"));
        vault.putBuilder("stories", "draft", INDEX, OpOptions.defaults());
        vault.putBuilder("stories", "draft", TITLE, OpOptions.defaults());
        vault.createInstance("stories", InstanceOptions.defaults().version("ext").externalEdit(true));
        vault.createTable("other", TableOptions.defaults());
        vault.createTable("loads", TableOptions.defaults());
        return vault.instances("stories", "base", false).get(0);
    }

    /** The folder of the open vault. */
    Path dir() {
        return root.resolve("vault-" + builds);
    }

    /** How many times the fixture was built. */
    int builds() {
        return builds;
    }

    /** The vault's contents, tagged with the build they were taken from. */
    record Snapshot(int build, VaultContents contents) {
    }

    Snapshot snapshot() {
        return new Snapshot(builds, VaultContents.of(vault));
    }

    /**
     * Undoes what happened since {@code snapshot} ({@link #undo}), or rebuilds the fixture when that cannot
     * give the snapshot again. Nothing to do when the fixture was rebuilt since the snapshot.
     */
    void restore(Snapshot snapshot) {
        if (snapshot.build() == builds && !undo(vault, snapshot.contents())) {
            build();
        }
    }

    /**
     * Deletes the tables, instances and builders that are in {@code vault} but not in {@code before}, and puts
     * back builders that changed.
     *
     * @return true when the vault holds {@code before} again; false when an input deleted or renamed part of it
     */
    public static boolean undo(Vault vault, VaultContents before) {
        VaultContents now = VaultContents.of(vault);
        for (String t : now.tables().keySet()) {
            if (!before.tables().containsKey(t)) {
                vault.deleteTable(t, OpOptions.defaults());
            }
        }
        for (String key : now.instances().keySet()) {
            String[] ti = key.split("/", 2);
            if (before.tables().containsKey(ti[0]) && !before.instances().containsKey(key)) {
                vault.deleteInstance(ti[0], ti[1], OpOptions.defaults());
            }
        }
        for (Map.Entry<String, String> b : now.builders().entrySet()) {
            String[] tvb = b.getKey().split("/", 3);
            String was = before.builders().get(b.getKey());
            if (was == null && before.instances().containsKey(tvb[0] + "/TEMP_" + tvb[1])) {
                vault.deleteBuilder(tvb[0], tvb[1], tvb[2], OpOptions.defaults());
            } else if (was != null && !was.equals(b.getValue())) {
                vault.putBuilder(tvb[0], tvb[1], spec(was), OpOptions.defaults());
            }
        }
        return VaultContents.of(vault).equals(before);
    }

    /** A spec as {@link VaultContents} records it: {@code FORMAT:text}. */
    static BuilderSpec spec(String recorded) {
        int colon = recorded.indexOf(':');
        return new BuilderSpec(recorded.substring(colon + 1), BuilderSpec.Format.valueOf(recorded.substring(0, colon)));
    }

    @Override
    public void close() {
        vault.close();
    }
}
