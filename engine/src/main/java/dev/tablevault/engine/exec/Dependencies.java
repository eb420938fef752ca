package dev.tablevault.engine.exec;

import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.LockMode;
import dev.tablevault.api.TvBuilderException;
import dev.tablevault.engine.codec.Records.DepRecord;
import dev.tablevault.engine.codec.Records.InstanceRecord;
import dev.tablevault.engine.data.Catalog;
import dev.tablevault.engine.data.ChunkTable;
import dev.tablevault.engine.lock.LockManager;
import dev.tablevault.engine.process.Op;
import dev.tablevault.engine.ref.Ref;
import dev.tablevault.engine.ref.RefSource;
import dev.tablevault.engine.ref.RefTable;
import dev.tablevault.engine.ref.Template;
import dev.tablevault.engine.store.Backend;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The instances of other tables an execution reads. Each external dependency ({@code <table>},
 * {@code <table>(<version>)}, optionally {@code .<column>}) resolves when the execution starts to the latest
 * materialized, successful instance of that table and version (active only, except for the executing table's
 * own instances); a version containing {@code _} is an exact instance id. The resolution is recorded in the
 * execution's progress, so a resume reads the same instances, which its shared locks keep from being deleted.
 * Stateless.
 */
final class Dependencies {
    private Dependencies() {
    }

    /** Resolves the external dependencies of {@code specs} for an execution of {@code table}. */
    static List<DepRecord> resolve(Catalog cat, String table, List<Spec> specs) {
        Set<String> builders = specs.stream().map(Spec::name).collect(Collectors.toSet());
        Map<String, DepRecord> out = new LinkedHashMap<>();
        for (Spec s : specs) {
            for (String d : s.dependencies()) {
                if (builders.contains(d) || d.startsWith("self.")) {
                    continue;
                }
                Ref r = Template.parse("<<" + d + ">>", "builder '" + s.name() + "' dependency '" + d + "'")
                        .refs().get(0);
                if (!(r.table() instanceof Ref.Text t) || r.version() instanceof Ref.Nested) {
                    throw new TvBuilderException(ErrorCode.BAD_REFERENCE, "builder '" + s.name() + "': dependency '"
                            + d + "' must name its table and version literally");
                }
                String version = r.version() == null ? "" : r.version().toString();
                String k = key(t.text(), version);
                if (!out.containsKey(k)) {
                    out.put(k, new DepRecord(t.text(), version, pick(cat, table, s.name(), t.text(), version).id()));
                }
            }
        }
        return List.copyOf(out.values());
    }

    /** The key of an external dependency ({@code <table>[(<version>)][.<column>]}) in resolved maps. */
    static String externalKey(String d) {
        Ref r = Template.parse("<<" + d + ">>", "dependency '" + d + "'").refs().get(0);
        return key(r.table().toString(), r.version() == null ? "" : r.version().toString());
    }

    /** Resolved instance ids by dependency key. */
    static Map<String, String> byKey(List<DepRecord> deps) {
        Map<String, String> out = new LinkedHashMap<>();
        deps.forEach(d -> out.put(key(d.table(), d.version()), d.instanceId()));
        return out;
    }

    private static InstanceRecord pick(Catalog cat, String self, String builder, String table, String version) {
        if (cat.table(table).isEmpty()) {
            throw new TvBuilderException(ErrorCode.BAD_REFERENCE, "builder '" + builder + "' reads table '" + table
                    + "', which does not exist; create and fill it first, or correct the reference");
        }
        InstanceRecord best = null;
        for (InstanceRecord r : cat.instances(table)) {
            boolean fits = version.contains("_") ? r.id().equals(version)
                    : (version.isEmpty() || r.version().equals(version)) && r.success()
                    && (r.active() || table.equals(self));
            if (!r.temporary() && fits) {
                best = r;
            }
        }
        if (best == null) {
            throw new TvBuilderException(ErrorCode.BAD_REFERENCE, "builder '" + builder + "' reads table '" + table
                    + "'" + (version.isEmpty() ? "" : " version '" + version + "'") + ", which has no "
                    + (version.contains("_") ? "instance with that id" : "materialized, successful, active instance")
                    + "; execute or write it first");
        }
        return best;
    }

    /** Shared locks on the resolved instances. */
    static List<Op.LockReq> locks(List<DepRecord> deps) {
        return deps.stream().map(d -> new Op.LockReq(LockManager.instance(d.table(), d.instanceId()), LockMode.SHARED))
                .distinct().toList();
    }

    /** Readers of the resolved instances, by dependency. */
    static Map<String, RefTable> tables(Backend store, Catalog cat, List<DepRecord> deps) {
        Map<String, RefTable> out = new LinkedHashMap<>();
        for (DepRecord d : deps) {
            InstanceRecord r = cat.requireInstance(d.table(), d.instanceId());
            out.put(key(d.table(), d.version()), ChunkTable.of(store, r));
        }
        return out;
    }

    /** A source answering {@code self} with {@code self} and other tables from {@code tables}. */
    static RefSource source(RefTable self, Map<String, RefTable> tables, String builder) {
        return (table, version, at) -> {
            if (table.equals(Ref.SELF)) {
                return self;
            }
            RefTable t = tables.get(key(table, version == null ? "" : version));
            if (t == null) {
                throw new TvBuilderException(ErrorCode.BAD_REFERENCE, "builder '" + builder + "': reference " + at
                        + " reads table '" + table + "'" + (version == null ? "" : " version '" + version + "'")
                        + ", which is not among the dependencies resolved when the execution started " + new ArrayList<>(
                        tables.keySet().stream().map(k -> k.replace('\0', '/')).toList())
                        + "; list it in 'dependencies'");
            }
            return t;
        };
    }

    private static String key(String table, String version) {
        return table + "\0" + version;
    }
}
