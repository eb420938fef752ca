package dev.tablevault.engine;

import dev.tablevault.api.BuilderSpec;
import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.Frame;
import dev.tablevault.api.InstanceDescription;
import dev.tablevault.api.ReadOptions;
import dev.tablevault.api.RowCursor;
import dev.tablevault.api.TableDescription;
import dev.tablevault.api.TvArgumentException;
import dev.tablevault.api.VaultOptions;
import dev.tablevault.engine.codec.Codec;
import dev.tablevault.engine.codec.Records;
import dev.tablevault.engine.codec.Records.InstanceRecord;
import dev.tablevault.engine.codec.Records.TableRecord;
import dev.tablevault.engine.data.Artifacts;
import dev.tablevault.engine.data.Catalog;
import dev.tablevault.engine.data.FrameStore;
import dev.tablevault.engine.data.Names;
import dev.tablevault.engine.store.Backend;
import dev.tablevault.engine.store.Family;
import dev.tablevault.engine.store.FileErrors;
import dev.tablevault.engine.store.Keys;
import dev.tablevault.engine.store.ReadView;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@link dev.tablevault.api.Vault} reads of tables, instances, builders and data. Each checks its
 * arguments first, then reads under the vault's {@link Gate}.
 */
final class VaultReads {
    private final Path dir;
    private final Backend store;
    private final VaultOptions options;
    private final Gate gate;

    VaultReads(Path dir, Backend store, VaultOptions options, Gate gate) {
        this.dir = dir;
        this.store = store;
        this.options = options;
        this.gate = gate;
    }

    /** A version, or the id of an executed instance, whose builders are kept under it. */
    private static void versionOrId(String versionOrId) {
        if (versionOrId != null && versionOrId.contains("_") && !versionOrId.startsWith("TEMP_")) {
            Names.instance(versionOrId);
        } else {
            Names.version(versionOrId);
        }
    }

    List<String> tables() {
        return gate.guarded(() -> new Catalog(store, store).tableNames());
    }

    List<String> instances(String table, String version, boolean includeTemporary) {
        Names.table(table);
        if (version != null) {
            Names.version(version);
        }
        return gate.guarded(() -> {
            Catalog cat = new Catalog(store, store);
            cat.requireTable(table);
            List<String> out = new ArrayList<>();
            for (InstanceRecord r : cat.instances(table)) {
                if ((version == null || version.equals(r.version())) && (includeTemporary || !r.temporary())) {
                    out.add(r.id());
                }
            }
            return out;
        });
    }

    Frame dataframe(String table, ReadOptions o) {
        Names.table(table);
        return gate.guarded(() -> {
            try (ReadView v = store.view()) {
                InstanceRecord r = new Catalog(store, v).pick(table, o);
                return FrameStore.read(store, v, PartialReads.of(store, v, r, true).record());
            }
        });
    }

    RowCursor rows(String table, ReadOptions o) {
        Names.table(table);
        return gate.guarded(() -> {
            ReadView v = store.view();
            try {
                PartialReads.Shown shown = PartialReads.of(store, v, new Catalog(store, v).pick(table, o), true);
                return new FrameStore.Cursor(v, shown.record(), shown.progress());
            } catch (RuntimeException e) {
                v.close();
                throw e;
            }
        });
    }

    List<String> builders(String table, String version) {
        Names.table(table);
        versionOrId(version);
        return gate.guarded(() -> {
            Catalog cat = new Catalog(store, store);
            cat.requireTable(table);
            return cat.builders(table, version).stream().map(Records.BuilderRecord::name).sorted().toList();
        });
    }

    BuilderSpec builder(String table, String version, String builderName) {
        Names.table(table);
        versionOrId(version);
        Names.builder(builderName);
        return gate.guarded(() -> {
            byte[] v = store.get(Family.META, Keys.builder(table, version, builderName));
            if (v == null) {
                throw new TvArgumentException(ErrorCode.NOT_FOUND, "builder '" + builderName + "' does not exist on "
                        + Names.temp(version) + " of table '" + table + "'; list them with builders()");
            }
            Records.BuilderRecord r = Codec.decode(v, Records.BuilderRecord.class, "builder " + builderName);
            return new BuilderSpec(r.text(), BuilderSpec.Format.valueOf(r.format()));
        });
    }

    TableDescription description(String table) {
        Names.table(table);
        return gate.guarded(() -> {
            TableRecord t = new Catalog(store, store).requireTable(table);
            return new TableDescription(t.name(), t.description(), t.sideEffects(), t.multipleArtifacts(),
                    Instant.ofEpochMilli(t.created()), t.artifactInstance());
        });
    }

    Path artifactFolder(String table, String instanceId) {
        Names.table(table);
        Names.instance(instanceId);
        return gate.guarded(() -> {
            InstanceRecord r = instanceRecord(table, instanceId);
            if (r.key() == 0 && r.temporary() && r.externalEdit()) {
                Path staging = Artifacts.staging(dir, table, instanceId);
                if (options.readOnly()) {
                    return staging;
                }
                try {
                    Files.createDirectories(staging);
                } catch (IOException e) {
                    throw FileErrors.fileFailure(dir, "cannot create artifact folder " + staging, e);
                }
                return staging;
            }
            if (r.key() == 0) {
                throw new TvArgumentException(ErrorCode.NOT_FOUND, "instance '" + instanceId + "' of table '" + table
                        + "' holds no data yet, so it has no artifact folder");
            }
            return Artifacts.folder(dir, r.key());
        });
    }

    /** An instance's record, its table checked first (so a missing table is named as such). */
    private InstanceRecord instanceRecord(String table, String instanceId) {
        Catalog cat = new Catalog(store, store);
        cat.requireTable(table);
        return cat.requireInstance(table, instanceId);
    }

    private static Map<String, Instant> columnTimes(InstanceRecord r) {
        Map<String, Instant> out = new LinkedHashMap<>();
        for (int c = 0; !r.temporary() && c < r.columns().size(); c++) {
            out.put(r.columns().get(c).name(), Instant.ofEpochMilli(r.timeOf(c)));
        }
        return out;
    }

    InstanceDescription description(String table, String instanceId) {
        Names.table(table);
        Names.instance(instanceId);
        return gate.guarded(() -> {
            try (ReadView v = store.view()) {
                Catalog cat = new Catalog(store, v);
                cat.requireTable(table);
                PartialReads.Shown shown = PartialReads.of(store, v, cat.requireInstance(table, instanceId), false);
                InstanceRecord r = shown.record();
                return new InstanceDescription(r.table(), r.id(), r.version(), r.temporary(), r.externalEdit(),
                        r.originTable(), r.originId(), r.description(), List.copyOf(r.columns()),
                        List.copyOf(r.changedColumns()), r.rows(), r.success(), r.active(),
                        r.temporary() ? null : Instant.ofEpochMilli(r.changedTime()),
                        r.temporary() ? null : Instant.ofEpochMilli(r.materializedTime()), r.processId(),
                        r.dependencies().stream().map(d -> d.table() + "/" + d.instanceId()).distinct().toList(),
                        columnTimes(r), shown.progress());
            }
        });
    }
}
