package dev.tablevault.engine.torture;

import dev.tablevault.api.ProcessState;
import dev.tablevault.engine.torture.TortureModel.Paused;
import dev.tablevault.engine.torture.TortureModel.Table;
import dev.tablevault.engine.torture.TortureModel.Temp;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;

/**
 * Chooses one worker thread's next operation from the model: mostly valid operations on the tables it owns
 * (named {@code w<thread>-...}), the ones on a table with a paused execution limited to resuming or stopping
 * it; now and then an operation the model says must fail (a typed error, nothing changed), one that a paused
 * execution's locks must refuse, an operation on the shared table, a read of any table or a {@code verify}.
 * Call with the model's monitor held.
 */
final class TortureGenerator {
    static final String SHARED = "shared";
    private static final String[] VERSIONS = {"a", "b", "c"};
    /** Tables a thread keeps, so that work goes into pipelines (builders, executions) rather than new tables. */
    private static final int MAX_TABLES = 4;
    private static final int[] WEIGHTS = {3, 2, 2, 3, 4, 10, 4, 14, 2, 16, 8, 6, 3, 2, 2, 3, 1};

    private final TortureModel m;
    private final Random rnd;
    private final String prefix;
    private final String names;
    private int seq;
    /** Makes every fresh name unique within the round (the round and thread are in {@link #names}). */
    private int unique;

    TortureGenerator(TortureModel m, Random rnd, int thread, int round) {
        this.m = m;
        this.rnd = rnd;
        this.prefix = "w" + thread + "-";
        this.names = round + "-" + thread + "-";
    }

    TortureOp next() {
        seq++;
        for (int attempt = 0; attempt < 50; attempt++) {
            TortureOp op = pick(kind());
            if (op != null) {
                return op;
            }
        }
        return TortureOp.of("createTable", fresh("r"), rnd.nextInt(2), null);
    }

    private int kind() {
        List<String> owned = m.tablesOf(prefix);
        if (owned.size() < 2 && rnd.nextBoolean()) {
            return 0;
        }
        if (owned.size() > MAX_TABLES && rnd.nextInt(4) == 0) {
            return 2;
        }
        if (owned.stream().mapToInt(t -> m.tables.get(t).instances.size()).sum() > 3 * owned.size()
                && rnd.nextInt(4) == 0) {
            return 6;
        }
        int total = 0;
        for (int w : WEIGHTS) {
            total += w;
        }
        int r = rnd.nextInt(total);
        for (int k = 0; ; k++) {
            r -= WEIGHTS[k];
            if (r < 0) {
                return k;
            }
        }
    }

    private TortureOp pick(int kind) {
        String t = table(switch (kind) {
            case 3, 4 -> tab -> tab.temps.size() < VERSIONS.length;
            case 5 -> tab -> temp(tab, true) != null;
            case 6 -> tab -> !tab.instances.isEmpty() || !tab.temps.isEmpty();
            case 7, 8 -> tab -> temp(tab, false) != null;
            case 9 -> tab -> tab.temps.values().stream().anyMatch(x -> !x.ext);
            default -> tab -> true;
        });
        Table tab = t == null ? null : m.tables.get(t);
        return switch (kind) {
            case 0 -> m.tablesOf(prefix).size() < MAX_TABLES
                    ? TortureOp.of("createTable", fresh("r"), rnd.nextInt(2), pid()) : null;
            case 1 -> t == null ? null : TortureOp.of("renameTable", t, fresh("r"), pid());
            case 2 -> t == null ? null : TortureOp.of("deleteTable", t, pid());
            case 3, 4 -> t == null ? null : createInstance(t, tab, kind == 3);
            case 5 -> write(t, tab);
            case 6 -> t == null ? null : deleteInstance(t, tab);
            case 7 -> builders(t, tab, false);
            case 8 -> builders(t, tab, true);
            case 9 -> execute(t, tab);
            case 10, 11 -> ownPaused(kind == 10);
            case 12 -> invalid(t, tab);
            case 13 -> conflict();
            case 14 -> rnd.nextBoolean() ? conflict() : TortureOp.of("putBuilder", SHARED, "common", "label",
                    "L:shared", null);
            case 15 -> m.tables.isEmpty() ? null : TortureOp.of("read", any(new ArrayList<>(m.tables.keySet())));
            default -> TortureOp.of("verify");
        };
    }

    private TortureOp createInstance(String t, Table tab, boolean ext) {
        String v = freeVersion(tab);
        List<String> withBuilders = tab.instances.values().stream().filter(i -> !i.builders().isEmpty())
                .map(TortureModel.Inst::id).toList();
        String origin = null;
        if (!ext && !withBuilders.isEmpty() && rnd.nextInt(3) > 0) {
            origin = any(withBuilders); // a re-execution: it starts from the origin's builders
        } else if (!tab.instances.isEmpty() && rnd.nextInt(3) == 0) {
            origin = any(new ArrayList<>(tab.instances.keySet()));
        }
        return TortureOp.of("createInstance", t, v, ext ? 1 : 0, origin, pid());
    }

    private TortureOp write(String t, Table tab) {
        String v = t == null ? null : temp(tab, true);
        if (v == null) {
            return null;
        }
        int r = rnd.nextInt(100);
        // Now and then more than one staging batch (16,384 rows) or more than one chunk (1,024 rows).
        int rows = r == 0 ? 16_385 + rnd.nextInt(4000) : r < 6 ? 1000 + rnd.nextInt(3000) : 1 + rnd.nextInt(300);
        return TortureOp.of("writeInstance", t, v, rnd.nextInt(1_000_000), rows, pid());
    }

    private TortureOp deleteInstance(String t, Table tab) {
        List<String> ids = new ArrayList<>(tab.instances.keySet());
        tab.temps.keySet().forEach(v -> ids.add("TEMP_" + v));
        return ids.isEmpty() ? null : TortureOp.of("deleteInstance", t, any(ids), pid());
    }

    /** A builder change on a temporary builder instance; an index named for another table is deleted first. */
    private TortureOp builders(String t, Table tab, boolean delete) {
        String v = t == null ? null : temp(tab, false);
        if (v == null) {
            return null;
        }
        Temp tmp = tab.temps.get(v);
        String wrongIndex = tmp.builders.keySet().stream()
                .filter(n -> n.endsWith("_index") && !n.equals(TortureSpecs.indexName(t))).findFirst().orElse(null);
        if (wrongIndex != null) {
            return TortureOp.of("deleteBuilder", t, v, wrongIndex, pid());
        }
        if (delete) {
            List<String> names = tmp.builders.keySet().stream()
                    .filter(n -> !n.equals("label") || !tmp.builders.containsKey("text")).toList();
            return names.isEmpty() ? null : TortureOp.of("deleteBuilder", t, v, any(names), pid());
        }
        String index = TortureSpecs.indexName(t);
        // Mostly a builder the instance lacks (so executions get all kinds), else a changed one.
        List<String> kinds = new ArrayList<>(List.of("I", "L", "T", "F"));
        List<String> missing = kinds.stream().filter(k -> !tmp.builders.containsKey(TortureSpecs.name(t, k + ":")))
                .filter(k -> !k.equals("T") || tmp.builders.containsKey("label")).toList();
        String kind = !tmp.builders.containsKey(index) ? "I" : !missing.isEmpty() && rnd.nextInt(10) < 7
                ? any(missing) : any(kinds);
        String code = switch (kind) {
            case "I" -> {
                int count = rnd.nextInt(20) == 0 ? 1500 + rnd.nextInt(1500) : 1 + rnd.nextInt(400);
                // keepOld only with a named origin: the rows it keeps are then the model's to know.
                yield "I:" + rnd.nextInt(300) + ":" + count + ":" + (tmp.originId != null && rnd.nextBoolean() ? 1 : 0);
            }
            case "L" -> "L:a" + rnd.nextInt(1000);
            case "T" -> tmp.builders.containsKey("label") ? "T:b" + rnd.nextInt(1000) : "L:a" + rnd.nextInt(1000);
            default -> {
                String[] ix = tmp.builders.get(index).split(":");
                long failId = Long.parseLong(ix[1]) + rnd.nextInt(Integer.parseInt(ix[2]));
                yield "F:c" + rnd.nextInt(1000) + ":" + failId + ":" + fresh("f");
            }
        };
        return TortureOp.of("putBuilder", t, v, TortureSpecs.name(t, code), code, pid());
    }

    private TortureOp execute(String t, Table tab) {
        if (t == null) {
            return null;
        }
        List<String> valid = tab.temps.entrySet().stream().filter(e -> !e.getValue().ext
                && TortureRules.planValid(t, e.getValue())).map(Map.Entry::getKey).toList();
        // Mostly a valid plan; now and then one the model says is refused (BAD_BUILDER).
        String v = !valid.isEmpty() && rnd.nextInt(10) > 0 ? any(valid)
                : rnd.nextInt(10) == 0 ? temp(tab, false) : null;
        if (v == null) {
            return null;
        }
        String pid = rnd.nextInt(7) > 0 ? fresh("p") : null;
        return TortureOp.of("executeInstance", t, v, 5 + rnd.nextInt(200), rnd.nextInt(7) == 0 ? 1 : 0, pid);
    }

    private TortureOp ownPaused(boolean resume) {
        List<String> mine = m.paused.entrySet().stream().filter(e -> e.getValue().table().startsWith(prefix))
                .map(Map.Entry::getKey).toList();
        if (mine.isEmpty()) {
            return null;
        }
        return TortureOp.of(resume ? "resume" : "stop", any(mine), rnd.nextInt(2));
    }

    /** An operation the model says fails with a typed error, changing nothing. */
    private TortureOp invalid(String t, Table tab) {
        if (t == null) {
            return null;
        }
        String ext = temp(tab, true);
        String bld = temp(tab, false);
        List<String> done = m.pids.entrySet().stream().filter(e -> e.getValue() == ProcessState.COMMITTED)
                .map(Map.Entry::getKey).toList();
        return switch (rnd.nextInt(7)) {
            case 0 -> TortureOp.of("createTable", t, 0, pid());
            case 1 -> tab.temps.isEmpty() ? null
                    : TortureOp.of("createInstance", t, any(new ArrayList<>(tab.temps.keySet())), 0, null, pid());
            case 2 -> TortureOp.of("deleteInstance", t, "a_1_00000000", pid());
            case 3 -> bld == null ? null : TortureOp.of("writeInstance", t, bld, 1, 5, pid());
            case 4 -> ext == null ? null : TortureOp.of("putBuilder", t, ext, "label", "L:x", pid());
            case 5 -> ext == null ? null : TortureOp.of("executeInstance", t, ext, 10, 0, fresh("p"));
            default -> done.isEmpty() ? null : TortureOp.of("resume", any(done), 0);
        };
    }

    /** An operation a paused execution's locks refuse: on an own paused table, or on the shared table. */
    private TortureOp conflict() {
        List<Paused> held = m.paused.values().stream()
                .filter(p -> p.table().startsWith(prefix) || p.table().equals(SHARED)).toList();
        if (held.isEmpty()) {
            return null;
        }
        Paused p = held.get(rnd.nextInt(held.size()));
        return switch (rnd.nextInt(5)) {
            case 0 -> TortureOp.of("putBuilder", p.table(), p.version(), "label", "L:y", null);
            case 1 -> TortureOp.of("deleteInstance", p.table(), "TEMP_" + p.version(), null);
            case 2 -> TortureOp.of("executeInstance", p.table(), p.version(), 10, 0, fresh("p"));
            case 3 -> TortureOp.of("deleteTable", p.table(), null);
            default -> TortureOp.of("renameTable", p.table(), fresh("r"), null);
        };
    }

    /** A random free (no paused execution) table of this thread's for which {@code p} holds, or null. */
    private String table(Predicate<Table> p) {
        List<String> ok = m.tablesOf(prefix).stream().filter(t -> m.pausedOn(t).isEmpty() && p.test(m.tables.get(t)))
                .toList();
        return ok.isEmpty() ? null : any(ok);
    }

    /** A version with a temporary instance of the kind asked for, or null. */
    private String temp(Table tab, boolean ext) {
        List<String> vs = tab.temps.entrySet().stream().filter(e -> e.getValue().ext == ext)
                .map(Map.Entry::getKey).toList();
        return vs.isEmpty() ? null : any(vs);
    }

    private String freeVersion(Table tab) {
        List<String> vs = new ArrayList<>();
        for (String v : VERSIONS) {
            if (!tab.temps.containsKey(v)) {
                vs.add(v);
            }
        }
        return any(vs);
    }

    /** A process id for a one-step operation: mostly generated, now and then the caller's. */
    private String pid() {
        return rnd.nextInt(5) == 0 ? fresh("q") : null;
    }

    private String fresh(String kind) {
        String p = kind.equals("r") ? prefix + "r" : kind;
        return p + names + seq + "-" + unique++;
    }

    private <T> T any(List<T> l) {
        return l.get(rnd.nextInt(l.size()));
    }
}
