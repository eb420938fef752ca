package dev.tablevault.engine.torture;

import dev.tablevault.api.Column;
import dev.tablevault.api.Frame;
import dev.tablevault.api.ProcessState;
import dev.tablevault.engine.torture.TortureOp.Outcome;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * What the acknowledged operations made of the vault: tables, their materialized instances with the frame each
 * must hold, temporary instances with their builders, paused executions, armed flag files and the end state
 * of every caller-given process id. Built by applying {@code (operation, outcome)} pairs in order, both in the
 * parent (from the child's acknowledgements) and in the child (replaying the history, then its own calls).
 * Not thread safe.
 */
final class TortureModel {
    static final class Table {
        final boolean multi;
        /** The table's artifact instance (single-artifact tables: the last successful materialization). */
        String artifact;
        /** Materialized instances by id, in materialization order. */
        final Map<String, Inst> instances = new LinkedHashMap<>();
        /** Temporary instances by version. */
        final Map<String, Temp> temps = new TreeMap<>();

        Table(boolean multi) {
            this.multi = multi;
        }
    }

    /**
     * A materialized instance: {@code expected} is its whole frame (for an unsuccessful one, what a finished run
     * would hold: each stored value is null or that value); {@code builders} the specs an execution kept under
     * its id; {@code originId} the origin its description names, unless {@code originKnown} is false (an
     * execution chose it).
     */
    record Inst(String id, String version, Lazy expected, boolean success, Map<String, String> builders,
                String originId, boolean originKnown) {
    }

    /**
     * A temporary instance. Its columns are its origin's ({@code shape}: the origin's frame) or none (null); after a
     * reverted execution ({@code partial}) it keeps that run's columns and rows, unsuccessful.
     */
    static final class Temp {
        final boolean ext;
        final String originId;
        final Map<String, String> builders = new TreeMap<>();
        Lazy shape;
        boolean partial;

        Temp(boolean ext, String originId) {
            this.ext = ext;
            this.originId = originId;
        }

        List<Column> columns() {
            return shape == null ? List.of() : shape.get().columns();
        }

        long rows() {
            return partial ? shape.get().rowCount() : 0;
        }
    }

    /** A frame computed when first needed (the child, replaying the history, never needs most of them). */
    static final class Lazy implements Supplier<Frame> {
        private Supplier<Frame> compute;
        private Frame frame;

        Lazy(Supplier<Frame> compute) {
            this.compute = compute;
        }

        @Override
        public Frame get() {
            if (frame == null) {
                frame = compute.get();
                compute = null;
            }
            return frame;
        }
    }

    /** An execution's expected result, fixed when it starts. */
    record Run(Lazy frame, String originId, boolean originKnown) {
    }

    /** A paused execution: its call and its expected result. */
    record Paused(String table, String version, TortureOp call, Run run) {
    }

    final Map<String, Table> tables = new TreeMap<>();
    final Map<String, Paused> paused = new TreeMap<>();
    final Set<String> armed = new HashSet<>();
    /** Caller-given process ids and the state each must be in. */
    final Map<String, ProcessState> pids = new HashMap<>();

    /** The model the history file describes (one {@code operation => outcome} per line). */
    static TortureModel replay(Path history) throws IOException {
        TortureModel m = new TortureModel();
        if (Files.exists(history)) {
            for (String line : Files.readAllLines(history)) {
                int sep = line.indexOf(" => ");
                m.apply(TortureOp.parse(line.substring(0, sep)), Outcome.parse(line.substring(sep + 4)));
            }
        }
        return m;
    }

    Temp temp(String table, String version) {
        Table t = tables.get(table);
        return t == null ? null : t.temps.get(version);
    }

    /** The flag file of the flaky builder of {@code TEMP_version}, or null. */
    String flagOf(String table, String version) {
        Temp tmp = temp(table, version);
        String code = tmp == null ? null : tmp.builders.get("flaky");
        return code == null ? null : TortureSpecs.flag(code);
    }

    /** What executing {@code TEMP_version} now builds. */
    Run plan(String table, String version, boolean force) {
        Table t = tables.get(table);
        Temp tmp = t.temps.get(version);
        Inst origin = tmp.originId == null || force ? null : t.instances.get(tmp.originId);
        Map<String, String> builders = Map.copyOf(tmp.builders);
        Lazy f = new Lazy(() -> TortureSpecs.executed(builders, TortureSpecs.ids(
                builders.get(TortureSpecs.indexName(table)), origin == null ? null
                        : origin.expected().get().column("id").stream().map(o -> (Long) o).toList())));
        if (tmp.originId != null || force) {
            return new Run(f, tmp.originId, true);
        }
        return new Run(f, null, false);
    }

    void apply(TortureOp op, Outcome outcome) {
        switch (op.kind()) {
            case "disarm" -> armed.remove(op.arg(0));
            case "reverted" -> pids.put(op.arg(0), ProcessState.REVERTED);
            case "restarted" -> complete(op.arg(0), outcome.detail());
            default -> {
                String pid = op.pid();
                if (pid != null) {
                    pids.put(pid, outcome.ok() ? ProcessState.COMMITTED
                            : outcome.kind().equals("paused") ? ProcessState.PAUSED : ProcessState.REVERTED);
                }
                if (outcome.ok()) {
                    applyOk(op, outcome.detail());
                } else if (outcome.kind().equals("paused")) {
                    Temp tmp = temp(op.arg(0), op.arg(1));
                    Run run = plan(op.arg(0), op.arg(1), op.flag(3));
                    if (tmp.partial) {
                        clearPartial(tmp); // the new run dropped what the reverted one left
                    }
                    paused.put(pid, new Paused(op.arg(0), op.arg(1), op, run));
                } else if (outcome.kind().equals("failed")) {
                    keepPartial(temp(op.arg(0), op.arg(1)), plan(op.arg(0), op.arg(1), op.flag(3)).frame());
                }
            }
        }
    }

    /** The index builder follows the table's name, in every instance's specs (the engine's renameTable). */
    private static Table renamed(Table t, String from, String to) {
        for (Temp tmp : t.temps.values()) {
            String code = tmp.builders.remove(TortureSpecs.indexName(from));
            if (code != null) {
                tmp.builders.put(TortureSpecs.indexName(to), code);
            }
        }
        t.instances.replaceAll((id, i) -> new Inst(i.id(), i.version(), i.expected(), i.success(),
                renamedIndex(i.builders(), from, to), i.originId(), i.originKnown()));
        return t;
    }

    private static Map<String, String> renamedIndex(Map<String, String> builders, String from, String to) {
        Map<String, String> out = new TreeMap<>(builders);
        String code = out.remove(TortureSpecs.indexName(from));
        if (code != null) {
            out.put(TortureSpecs.indexName(to), code);
        }
        return Map.copyOf(out);
    }

    private void applyOk(TortureOp op, String id) {
        Table t = op.table() == null ? null : tables.get(op.table());
        switch (op.kind()) {
            case "createTable" -> tables.put(op.arg(0), new Table(op.flag(1)));
            case "renameTable" -> tables.put(op.arg(1), renamed(tables.remove(op.arg(0)), op.arg(0), op.arg(1)));
            case "deleteTable" -> tables.remove(op.arg(0));
            case "createInstance" -> {
                Temp tmp = new Temp(op.flag(2), op.opt(3));
                Inst origin = tmp.originId == null ? null : t.instances.get(tmp.originId);
                if (origin != null) {
                    tmp.shape = origin.expected();
                    if (!tmp.ext) {
                        tmp.builders.putAll(origin.builders());
                    }
                }
                t.temps.put(op.arg(1), tmp);
            }
            case "writeInstance" -> {
                Temp tmp = t.temps.remove(op.arg(1));
                long seed = Long.parseLong(op.arg(2));
                int rows = Integer.parseInt(op.arg(3));
                Lazy f = new Lazy(() -> TortureSpecs.written(seed, rows));
                t.instances.put(id, new Inst(id, op.arg(1), f, true, Map.of(), tmp.originId, true));
                if (!t.multi) {
                    t.artifact = id;
                }
            }
            case "deleteInstance" -> {
                String gone = op.arg(1);
                if (gone.startsWith("TEMP_")) {
                    t.temps.remove(gone.substring(5));
                } else {
                    t.instances.remove(gone);
                    if (gone.equals(t.artifact)) {
                        t.artifact = null;
                    }
                }
            }
            case "putBuilder" -> {
                t.temps.get(op.arg(1)).builders.put(op.arg(2), op.arg(3));
                if (TortureSpecs.flag(op.arg(3)) != null) {
                    armed.add(TortureSpecs.flag(op.arg(3)));
                }
            }
            case "deleteBuilder" -> t.temps.get(op.arg(1)).builders.remove(op.arg(2));
            case "executeInstance" -> materialize(op.arg(0), op.arg(1), plan(op.arg(0), op.arg(1), op.flag(3)), id,
                    true);
            case "resume" -> complete(op.arg(0), id);
            case "stop" -> {
                Paused p = paused.remove(op.arg(0));
                pids.put(op.arg(0), op.flag(1) ? ProcessState.MATERIALIZED : ProcessState.STOPPED);
                if (op.flag(1)) {
                    materialize(p.table(), p.version(), p.run(), id, false);
                } else {
                    keepPartial(temp(p.table(), p.version()), p.run().frame());
                }
            }
            case "read", "verify" -> {
            }
            default -> throw new IllegalArgumentException("unknown operation " + op);
        }
    }

    /** A paused execution committed (by a resume or a restart) as instance {@code id}; its flag is gone. */
    private void complete(String pid, String id) {
        Paused p = paused.remove(pid);
        String flag = flagOf(p.table(), p.version());
        if (flag != null) {
            armed.remove(flag);
        }
        pids.put(pid, ProcessState.COMMITTED);
        materialize(p.table(), p.version(), p.run(), id, true);
    }

    private void materialize(String table, String version, Run run, String id, boolean success) {
        Table t = tables.get(table);
        Temp tmp = t.temps.remove(version);
        t.instances.put(id, new Inst(id, version, run.frame(), success, new TreeMap<>(tmp.builders),
                run.originId(), run.originKnown()));
        if (success && !t.multi) {
            t.artifact = id;
        }
    }

    private static void keepPartial(Temp tmp, Lazy frame) {
        tmp.shape = frame;
        tmp.partial = true;
    }

    private static void clearPartial(Temp tmp) {
        tmp.shape = null;
        tmp.partial = false;
    }

    /** Tables whose name starts with {@code prefix}. */
    List<String> tablesOf(String prefix) {
        List<String> out = new ArrayList<>();
        tables.keySet().stream().filter(n -> n.startsWith(prefix)).forEach(out::add);
        return out;
    }

    /** Paused executions on {@code table}. */
    List<String> pausedOn(String table) {
        List<String> out = new ArrayList<>();
        paused.forEach((pid, p) -> {
            if (p.table().equals(table)) {
                out.add(pid);
            }
        });
        return out;
    }
}
