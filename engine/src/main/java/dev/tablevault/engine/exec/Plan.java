package dev.tablevault.engine.exec;

import dev.tablevault.api.Builder;
import dev.tablevault.api.Column;
import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.FrameBuilder;
import dev.tablevault.api.GeneratorBuilder;
import dev.tablevault.api.Hint;
import dev.tablevault.api.RowBuilder;
import dev.tablevault.api.TvBuilderException;
import dev.tablevault.engine.builtin.Builtins;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * The order an execution runs its builders in: the index builder first, then column builders so that each
 * runs after the builders whose columns it depends on ({@code dependencies} entries naming a builder or
 * {@code self.<column>}), ties in name order. Also fixes the instance's column layout. Immutable.
 */
final class Plan {
    /** One builder to run: its spec, its code, and where its columns start in the instance. */
    record Step(Spec spec, Builder builder, int firstColumn) {
    }

    private final List<Step> steps;
    private final List<Column> columns;

    private Plan(List<Step> steps, List<Column> columns) {
        this.steps = steps;
        this.columns = columns;
    }

    List<Step> steps() {
        return steps;
    }

    /** Every column of the instance: the index's, then each builder's in plan order. */
    List<Column> columns() {
        return columns;
    }

    /**
     * Orders and checks {@code specs} and finds each one's code.
     *
     * @throws TvBuilderException for a missing or second index builder, a column built twice, an unknown
     *     builder dependency, a cycle, or code that cannot be found or does not implement the spec's mode
     */
    static Plan of(String table, String version, List<Spec> specs, Map<String, Builder> registered) {
        List<Step> steps = new ArrayList<>();
        List<Column> columns = new ArrayList<>();
        for (Spec s : order(table, version, specs)) {
            steps.add(new Step(s, find(s, registered), columns.size()));
            columns.addAll(s.columns());
        }
        return new Plan(List.copyOf(steps), List.copyOf(columns));
    }

    /** The instance's column layout, without looking for the builders' code. */
    static List<Column> layout(String table, String version, List<Spec> specs) {
        List<Column> columns = new ArrayList<>();
        order(table, version, specs).forEach(s -> columns.addAll(s.columns()));
        return List.copyOf(columns);
    }

    /** The specs in the order an execution runs them, without looking for their code. */
    static List<Spec> order(String table, String version, List<Spec> specs) {
        List<Spec> index = specs.stream().filter(Spec::index).toList();
        if (index.size() != 1) {
            TvBuilderException e = new TvBuilderException(ErrorCode.BAD_BUILDER, "instance TEMP_" + version
                    + " of table '" + table + "' needs exactly one index builder '" + table + "_index', has "
                    + index.size());
            throw index.isEmpty() ? e.withHint(new Hint(Hint.Action.PUT_INDEX_BUILDER, table, version)) : e;
        }
        Map<String, Spec> byName = new LinkedHashMap<>();
        Map<String, String> builtBy = new HashMap<>();
        for (Spec s : specs.stream().sorted((x, y) -> x.name().compareTo(y.name())).toList()) {
            byName.put(s.name(), s);
            for (Column c : s.columns()) {
                String other = builtBy.putIfAbsent(c.name(), s.name());
                if (other != null) {
                    throw BuilderSpecs.bad(s.name(), "changedColumns", "names column '" + c.name()
                            + "', which builder '" + other + "' builds too");
                }
            }
        }
        List<Spec> order = new ArrayList<>();
        order.add(index.get(0));
        Map<String, Integer> state = new HashMap<>();
        state.put(index.get(0).name(), 2);
        for (Spec s : byName.values()) {
            visit(s, byName, builtBy, state, order, new ArrayList<>());
        }
        return order;
    }

    private static void visit(Spec s, Map<String, Spec> byName, Map<String, String> builtBy,
                              Map<String, Integer> state, List<Spec> order, List<String> path) {
        Integer st = state.get(s.name());
        if (st != null && st == 2) {
            return;
        }
        path.add(s.name());
        if (st != null) {
            throw BuilderSpecs.bad(s.name(), "dependencies", "form a cycle: " + String.join(" -> ", path));
        }
        state.put(s.name(), 1);
        for (String d : s.dependencies()) {
            if (d.equals("self.index")) {
                continue; // the index builder always runs first
            }
            String target = internalTarget(d, byName, builtBy);
            if (target == null) {
                if (d.startsWith("self.") || !d.contains(".") && !d.contains("(")) {
                    throw BuilderSpecs.bad(s.name(), "dependencies", "names '" + d + "', which no builder of this"
                            + " instance builds; name a builder, 'self.<column>', '<table>.<column>' or"
                            + " '<table>(<version>)'");
                }
                continue;
            }
            visit(byName.get(target), byName, builtBy, state, order, path);
        }
        path.remove(path.size() - 1);
        state.put(s.name(), 2);
        order.add(s);
    }

    /** The builder an internal dependency names, or null for an external ({@code table.column}) one. */
    private static String internalTarget(String d, Map<String, Spec> byName, Map<String, String> builtBy) {
        if (byName.containsKey(d)) {
            return d;
        }
        if (d.startsWith("self.")) {
            return builtBy.get(d.substring(5));
        }
        return null;
    }

    /** True when the code spec {@code s} names is registered, built in, or a ServiceLoader provider here. */
    static boolean hasCode(Spec s, Map<String, Builder> registered) {
        return lookup(s.builder(), registered) != null;
    }

    /** The code named {@code name}: registered, built in, or a ServiceLoader provider of that class; or null. */
    private static Builder lookup(String name, Map<String, Builder> registered) {
        Builder b = registered.get(name);
        if (b == null) {
            b = Builtins.get(name);
        }
        if (b == null) {
            for (Builder p : ServiceLoader.load(Builder.class, Thread.currentThread().getContextClassLoader())) {
                if (p.getClass().getName().equals(name)) {
                    return p;
                }
            }
        }
        return b;
    }

    private static Builder find(Spec s, Map<String, Builder> registered) {
        Builder b = lookup(s.builder(), registered);
        if (b == null) {
            throw new TvBuilderException(ErrorCode.BUILDER_NOT_FOUND, "builder '" + s.name() + "': code '"
                    + s.builder() + "' is not registered, not built in (" + Builtins.names() + "), and no"
                    + " ServiceLoader provider of dev.tablevault.api.Builder has that class name")
                    .withHint(new Hint(Hint.Action.REGISTER_BUILDER, s.builder(), null));
        }
        boolean fits = switch (s.mode()) {
            case "whole-column" -> b instanceof FrameBuilder;
            case "row-wise" -> b instanceof RowBuilder && !s.index();
            case "generator" -> b instanceof GeneratorBuilder;
            default -> false;
        };
        if (!fits) {
            throw BuilderSpecs.bad(s.name(), "mode", "is '" + s.mode() + "', but code '" + s.builder() + "' ("
                    + b.getClass().getName() + ") does not implement it"
                    + (s.index() && s.mode().equals("row-wise") ? "; an index builder is whole-column or generator"
                    : ""));
        }
        return b;
    }
}
