package dev.tablevault.engine.torture;

import dev.tablevault.engine.torture.TortureModel.Paused;
import dev.tablevault.engine.torture.TortureModel.Table;
import dev.tablevault.engine.torture.TortureModel.Temp;

import java.util.List;
import java.util.Set;

/**
 * What an operation may return in a model's state: the outcome shapes ({@link TortureOp.Outcome#shape}) it
 * allows. Locks come first, as in the engine: a paused execution holds its temporary instance, its origin
 * (shared) and, on a single-artifact table, the table's artifacts; a table lock covers all of them. Then the
 * validation errors, then success (or, for an execution whose flaky builder is armed, its pause or revert).
 */
final class TortureRules {
    private static final String LOCKED = "err LOCK_HELD_BY_PAUSED";
    private static final String NOT_FOUND = "err NOT_FOUND";

    private TortureRules() {
    }

    /**
     * The allowed outcome shapes; null for a read, which may return any typed error, and for what only a check
     * records ({@link TortureOp#settledOnly}).
     */
    static Set<String> allowed(TortureModel m, TortureOp op) {
        Table t = op.table() == null ? null : m.tables.get(op.table());
        return switch (op.kind()) {
            case "read", "verify", "restarted", "reverted", "disarm" -> null;
            case "createTable" -> Set.of(t != null ? "err ALREADY_EXISTS" : "ok");
            case "renameTable" -> Set.of(held(m, op.arg(0), null) ? LOCKED : t == null ? NOT_FOUND
                    : m.tables.containsKey(op.arg(1)) ? "err ALREADY_EXISTS" : "ok");
            case "deleteTable" -> Set.of(held(m, op.arg(0), null) ? LOCKED : t == null ? NOT_FOUND : "ok");
            case "createInstance" -> Set.of(held(m, op.arg(0), op.arg(1)) ? LOCKED : t == null ? NOT_FOUND
                    : t.temps.containsKey(op.arg(1)) ? "err ALREADY_EXISTS"
                    : op.opt(3) != null && !t.instances.containsKey(op.arg(3)) ? NOT_FOUND : "ok");
            case "writeInstance" -> Set.of(materializeLocked(m, t, op) ? LOCKED : t == null ? NOT_FOUND
                    : !t.temps.containsKey(op.arg(1)) ? NOT_FOUND : !t.temps.get(op.arg(1)).ext ? "err BAD_ARGUMENT"
                    : "ok");
            case "deleteInstance" -> Set.of(deleteLocked(m, op) ? LOCKED : t == null ? NOT_FOUND
                    : exists(t, op.arg(1)) ? "ok" : NOT_FOUND);
            // Every thread puts the same builder on the shared table: one may wait for another past its timeout.
            case "putBuilder", "deleteBuilder" -> op.arg(0).equals(TortureGenerator.SHARED)
                    && builderOutcome(m, t, op).equals("ok") ? Set.of("ok", "err LOCK_TIMEOUT")
                    : Set.of(builderOutcome(m, t, op));
            case "executeInstance" -> execute(m, t, op);
            case "resume", "stop" -> Set.of(m.paused.containsKey(op.arg(0)) ? "ok"
                    : m.pids.containsKey(op.arg(0)) ? "err PROCESS_STATE" : NOT_FOUND);
            default -> throw new IllegalArgumentException("unknown operation " + op);
        };
    }

    private static String builderOutcome(TortureModel m, Table t, TortureOp op) {
        if (held(m, op.arg(0), op.arg(1))) {
            return LOCKED;
        }
        Temp tmp = t == null ? null : t.temps.get(op.arg(1));
        if (tmp == null) {
            return NOT_FOUND;
        }
        if (tmp.ext) {
            return "err BAD_ARGUMENT";
        }
        return op.kind().equals("deleteBuilder") && !tmp.builders.containsKey(op.arg(2)) ? NOT_FOUND : "ok";
    }

    private static Set<String> execute(TortureModel m, Table t, TortureOp op) {
        if (materializeLocked(m, t, op)) {
            return Set.of(LOCKED);
        }
        Temp tmp = t == null ? null : t.temps.get(op.arg(1));
        if (tmp == null) {
            return Set.of(NOT_FOUND);
        }
        if (tmp.ext) {
            return Set.of("err BAD_ARGUMENT");
        }
        if (!planValid(op.arg(0), tmp)) {
            return Set.of("err BAD_BUILDER");
        }
        String code = tmp.builders.get("flaky");
        if (code != null && m.armed.contains(TortureSpecs.flag(code))) {
            // It fails only if it computes the failing row (a carried row is not computed): both are allowed.
            return Set.of("ok", op.pid() != null ? "paused" : "failed");
        }
        return Set.of("ok");
    }

    /** Exactly one index builder, named for the table; {@code text} only with {@code label}, which it reads. */
    static boolean planValid(String table, Temp tmp) {
        List<String> indexes = tmp.builders.keySet().stream().filter(n -> n.endsWith("_index")).toList();
        return indexes.equals(List.of(TortureSpecs.indexName(table)))
                && (!tmp.builders.containsKey("text") || tmp.builders.containsKey("label"));
    }

    private static boolean exists(Table t, String id) {
        return id.startsWith("TEMP_") ? t.temps.containsKey(id.substring(5)) : t.instances.containsKey(id);
    }

    /** A paused execution holds {@code table} (version null: any of its resources) or its TEMP_version. */
    static boolean held(TortureModel m, String table, String version) {
        for (Paused p : m.paused.values()) {
            if (p.table().equals(table) && (version == null || p.version().equals(version))) {
                return true;
            }
        }
        return false;
    }

    /** A write or execution needs TEMP_version, and the artifacts of a single-artifact table. */
    private static boolean materializeLocked(TortureModel m, Table t, TortureOp op) {
        return held(m, op.arg(0), op.arg(1)) || t != null && !t.multi && held(m, op.arg(0), null);
    }

    /** Deleting a paused execution's temporary instance or its origin. */
    private static boolean deleteLocked(TortureModel m, TortureOp op) {
        String id = op.arg(1);
        for (Paused p : m.paused.values()) {
            Temp tmp = m.temp(p.table(), p.version());
            if (p.table().equals(op.arg(0)) && (id.equals("TEMP_" + p.version())
                    || tmp != null && id.equals(tmp.originId))) {
                return true;
            }
        }
        return false;
    }
}
