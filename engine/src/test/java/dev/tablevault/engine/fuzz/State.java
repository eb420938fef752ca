package dev.tablevault.engine.fuzz;

import dev.tablevault.api.InstanceDescription;
import dev.tablevault.api.ProcessInfo;
import dev.tablevault.api.ProcessState;
import dev.tablevault.api.Vault;
import dev.tablevault.api.VerifyReport;
import dev.tablevault.engine.VaultContents;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a user can observe of a vault: its {@link VaultContents} (tables, instances with rows, builders,
 * locks, active processes), the three newest finished processes, and {@link Vault#verify()}.
 */
public record State(VaultContents contents, List<ProcessInfo> recent, VerifyReport verify) {
    public static State of(Vault v) {
        return new State(VaultContents.of(v), v.processHistory(3), v.verify());
    }

    /** The id of the newest finished process in this state ("" for none). */
    String newest() {
        return recent.isEmpty() ? "" : recent.get(0).id();
    }

    /** The id of the newest finished process in {@code v} now ("" for none). */
    static String newest(Vault v) {
        List<ProcessInfo> h = v.processHistory(1);
        return h.isEmpty() ? "" : h.get(0).id();
    }

    /**
     * What a rejected call changed from this state to {@code after}, or null for nothing.
     * A call that got as far as starting its process leaves that process in the history, REVERTED: the one
     * change a rejection may make; and a failed execution keeps its partial result on the temporary instance
     * {@code executed} (a key {@code table/TEMP_<version>}, or null).
     */
    public String changes(State after, String executed) {
        VaultContents now = after.contents();
        if (executed != null && now.instances().containsKey(executed)) {
            InstanceDescription was = contents.instances().get(executed);
            InstanceDescription is = now.instances().get(executed);
            if (was != null && is.temporary() && !is.success() && is.id().equals(was.id())
                    && is.processId().equals(was.processId())) {
                now = new VaultContents(now.tables(), new TreeMap<>(now.instances()), now.rows(), now.builders(),
                        now.locks(), now.active());
                now.instances().put(executed, was);
            }
        }
        if (!now.equals(contents)) {
            return "the vault changed: " + diff(contents, now);
        }
        List<ProcessInfo> added = after.recent().stream().takeWhile(p -> !p.id().equals(newest())).toList();
        if (added.size() > 1 || added.stream().anyMatch(p -> p.state() != ProcessState.REVERTED)) {
            return "the history gained " + added + " (a rejection may add one REVERTED process)";
        }
        return after.verify().equals(verify) ? null : "verify() changed from " + verify + " to " + after.verify();
    }

    /** The entries that differ between two snapshots, each as {@code key: before -> after}. */
    static String diff(VaultContents a, VaultContents b) {
        StringBuilder sb = new StringBuilder();
        diff(sb, "table", a.tables(), b.tables());
        diff(sb, "instance", a.instances(), b.instances());
        diff(sb, "rows", a.rows(), b.rows());
        diff(sb, "builder", a.builders(), b.builders());
        diff(sb, "active", a.active(), b.active());
        if (!a.locks().equals(b.locks())) {
            sb.append("\n      locks: ").append(a.locks()).append(" -> ").append(b.locks());
        }
        return sb.toString();
    }

    private static void diff(StringBuilder sb, String what, Map<String, ?> a, Map<String, ?> b) {
        Set<String> keys = new TreeSet<>(a.keySet());
        keys.addAll(b.keySet());
        for (String k : keys) {
            if (!java.util.Objects.equals(a.get(k), b.get(k))) {
                sb.append("\n      ").append(what).append(' ').append(k).append(": ").append(a.get(k)).append(" -> ")
                        .append(b.get(k));
            }
        }
    }
}
