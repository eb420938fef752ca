package dev.tablevault.engine;

import dev.tablevault.api.BuilderSpec;
import dev.tablevault.api.InstanceDescription;
import dev.tablevault.api.LockInfo;
import dev.tablevault.api.ProcessInfo;
import dev.tablevault.api.ReadOptions;
import dev.tablevault.api.RowCursor;
import dev.tablevault.api.TableDescription;
import dev.tablevault.api.Vault;
import dev.tablevault.engine.codec.Records.InstanceRecord;
import dev.tablevault.engine.data.Catalog;
import dev.tablevault.engine.store.Backend;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The full logical contents of a vault, as a value: tables, their descriptions, instances with their
 * descriptions and every row, builder specs, held locks and active processes. Two snapshots are equal when a
 * user could not tell the vaults apart (history aside). Used to prove "unchanged" after failures.
 */
public record VaultContents(Map<String, TableDescription> tables, Map<String, InstanceDescription> instances,
                     Map<String, List<String>> rows, Map<String, String> builders, List<String> locks,
                     Map<String, String> active) {

    public static VaultContents of(Vault v) {
        Map<String, TableDescription> tables = new TreeMap<>();
        Map<String, InstanceDescription> instances = new TreeMap<>();
        Map<String, List<String>> rows = new TreeMap<>();
        Map<String, String> builders = new TreeMap<>();
        for (String t : v.tables()) {
            tables.put(t, v.description(t));
            for (String id : v.instances(t, null, true)) {
                InstanceDescription d = stored(v, v.description(t, id));
                instances.put(t + "/" + id, d);
                if (!d.temporary()) {
                    List<String> out = new ArrayList<>();
                    try (RowCursor c = v.rows(t, ReadOptions.id(id))) {
                        c.forEachRemaining(r -> out.add(render(r)));
                    }
                    rows.put(t + "/" + id, out);
                } else {
                    for (String b : v.builders(t, d.version())) {
                        BuilderSpec s = v.builder(t, d.version(), b);
                        builders.put(t + "/" + d.version() + "/" + b, s.format() + ":" + s.text());
                    }
                }
            }
        }
        List<String> locks = v.locks().stream().sorted(Comparator.comparing(LockInfo::resource)
                .thenComparing(LockInfo::processId)).map(l -> l.resource() + " " + l.mode() + " " + l.processId())
                .toList();
        Map<String, String> active = new TreeMap<>();
        for (Map.Entry<String, ProcessInfo> e : v.activeProcesses().entrySet()) {
            active.put(e.getKey(), e.getValue().operation() + " " + e.getValue().state());
        }
        return new VaultContents(tables, instances, rows, builders, locks, active);
    }

    /**
     * {@code d} as its record stands: a partial read (see {@link InstanceDescription#progress}) shows an active
     * process's uncommitted work, which is no part of a vault's contents (its process is, in {@code active}).
     */
    public static InstanceDescription stored(Vault v, InstanceDescription d) {
        if (!d.partial()) {
            return d;
        }
        Backend s = ((VaultImpl) v).store();
        InstanceRecord r = new Catalog(s, s).requireInstance(d.table(), d.id());
        return new InstanceDescription(d.table(), d.id(), d.version(), d.temporary(), d.externalEdit(),
                d.originTable(), d.originId(), d.description(), r.columns(), r.changedColumns(), r.rows(), r.success(),
                d.active(), d.changedTime(), d.materializedTime(), d.processId(), d.dependencies(), d.columnTimes());
    }

    private static String render(List<Object> row) {
        StringBuilder sb = new StringBuilder();
        for (Object o : row) {
            sb.append(o instanceof byte[] b ? Arrays.toString(b) : String.valueOf(o)).append('|');
        }
        return sb.toString();
    }
}
