package dev.tablevault.engine.ref;

import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.TvBuilderException;
import dev.tablevault.engine.ref.Ref.Cond;
import dev.tablevault.engine.ref.Ref.Nested;
import dev.tablevault.engine.ref.Ref.Part;
import dev.tablevault.engine.ref.Ref.Text;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A builder's arguments with every string that holds a reference parsed into a {@link Template}, and the
 * dependencies those references imply. Immutable.
 */
public final class Args {
    private final Map<String, Object> tree;
    private final List<Ref> refs = new ArrayList<>();
    private final boolean perRow;

    private Args(Map<String, Object> arguments, String builder) {
        @SuppressWarnings("unchecked")
        Map<String, Object> t = (Map<String, Object>) parse(arguments, builder, "argument ");
        this.tree = t;
        this.perRow = refs.stream().anyMatch(Ref::perRow);
    }

    /**
     * Parses the references in {@code arguments} (maps, lists and strings, as read from YAML or JSON).
     *
     * @throws TvBuilderException {@link ErrorCode#BAD_REFERENCE} for bad syntax, naming builder, argument and
     *     position
     */
    public static Args parse(Map<String, Object> arguments, String builder) {
        return new Args(arguments, builder);
    }

    private Object parse(Object v, String builder, String path) {
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(k.toString(), parse(x, builder, path.endsWith(" ") ? path + "'" + k + "'"
                    : path + "." + k)));
            return Collections.unmodifiableMap(out);
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            for (int i = 0; i < l.size(); i++) {
                out.add(parse(l.get(i), builder, path + "[" + i + "]"));
            }
            return Collections.unmodifiableList(out);
        }
        if (v instanceof String s && s.contains("<<")) {
            Template t = Template.parse(s, "builder '" + builder + "' " + path);
            refs.addAll(t.refs());
            return t.refs().isEmpty() ? s.replace("\\<<", "<<") : t;
        }
        return v;
    }

    /** True when some argument holds a reference. */
    public boolean hasRefs() {
        return !refs.isEmpty();
    }

    /** True when some reference needs the current row ({@code self.index} or a bare condition). */
    public boolean perRow() {
        return perRow;
    }

    /** The arguments with every reference resolved for {@code row} (-1: none). */
    @SuppressWarnings("unchecked")
    public Map<String, Object> resolve(Resolver r, long row) {
        return refs.isEmpty() ? tree : (Map<String, Object>) resolve(tree, r, row);
    }

    /**
     * The arguments prepared for resolving row after row through {@code r}: each template bound once
     * ({@link Resolver#bind}). The same results and errors as {@link #resolve}.
     */
    public Prepared prepare(Resolver r) {
        return new Prepared(tree, refs.isEmpty() ? null : r);
    }

    /** Arguments whose templates are bound to one resolver. Thread safe. */
    public static final class Prepared {
        /** The arguments, when they hold no reference. */
        private final Map<String, Object> plain;
        /** The top-level names and their values, templates bound: read per row without iterating a map. */
        private final String[] names;
        private final Object[] values;

        private Prepared(Map<String, Object> tree, Resolver r) {
            this.plain = r == null ? tree : null;
            this.names = tree.keySet().toArray(new String[0]);
            this.values = tree.values().stream().map(v -> r == null ? v : bind(v, r)).toArray();
        }

        /** The arguments with every reference resolved for {@code row} (-1: none). */
        public Map<String, Object> resolve(long row) {
            if (plain != null) {
                return plain;
            }
            if (names.length == 1) { // the common case, in one small object instead of a map's four
                return Collections.singletonMap(names[0], Args.resolve(values[0], null, row));
            }
            Map<String, Object> out = new LinkedHashMap<>(names.length * 4 / 3 + 1);
            for (int i = 0; i < names.length; i++) {
                out.put(names[i], Args.resolve(values[i], null, row));
            }
            return Collections.unmodifiableMap(out);
        }
    }

    private static Object bind(Object v, Resolver r) {
        if (v instanceof Template t) {
            return r.bind(t);
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put((String) k, bind(x, r)));
            return Collections.unmodifiableMap(out);
        }
        if (v instanceof List<?> l) {
            return Collections.unmodifiableList(l.stream().map(x -> bind(x, r)).toList());
        }
        return v;
    }

    /** {@code v} with each template evaluated by {@code r} and each bound template by itself. */
    private static Object resolve(Object v, Resolver r, long row) {
        if (v instanceof Template t) {
            return r.value(t, row);
        }
        if (v instanceof Bound b) {
            return b.value(row);
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>(m.size() * 4 / 3 + 1);
            for (Map.Entry<?, ?> e : m.entrySet()) {
                out.put((String) e.getKey(), resolve(e.getValue(), r, row));
            }
            return Collections.unmodifiableMap(out);
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            for (Object x : l) {
                out.add(resolve(x, r, row));
            }
            return Collections.unmodifiableList(out);
        }
        return v;
    }

    /**
     * The dependencies the references imply, in the {@code dependencies} field's syntax: {@code self.<column>}
     * for a column of the instance being built (also one a condition reads), {@code <table>(<version>).<column>}
     * or {@code <table>(<version>)} for another table ({@code (<version>)} only when given).
     *
     * @throws TvBuilderException {@link ErrorCode#BAD_REFERENCE} when a table, version or column is itself a
     *     reference and {@code explicit} is empty: such dependencies must be listed
     */
    public List<String> dependencies(String builder, boolean explicit) {
        Set<String> out = new LinkedHashSet<>();
        for (Ref r : refs) {
            collect(r, builder, explicit, out);
        }
        return List.copyOf(out);
    }

    private static void collect(Ref r, String builder, boolean explicit, Set<String> out) {
        for (Part p : parts(r)) {
            if (p instanceof Nested n) {
                collect(n.ref(), builder, explicit, out);
            }
        }
        boolean dynamic = !(r.table() instanceof Text) || r.version() instanceof Nested
                || r.columns().stream().anyMatch(p -> p instanceof Nested)
                || r.conditions().stream().anyMatch(c -> c.column() instanceof Nested);
        if (dynamic) {
            if (!explicit) {
                throw new TvBuilderException(ErrorCode.BAD_REFERENCE, "builder '" + builder + "': unclear"
                        + " dependencies: reference " + r + " (at position " + r.pos() + ") names its table, version"
                        + " or a column through another reference; list what it reads in 'dependencies'");
            }
            return;
        }
        String table = ((Text) r.table()).text();
        List<String> cols = new ArrayList<>(r.columns().stream().map(Part::toString).toList());
        if (!cols.isEmpty()) {
            r.conditions().forEach(c -> cols.add(c.column().toString()));
        }
        if (table.equals(Ref.SELF)) {
            if (cols.isEmpty()) {
                if (!explicit) {
                    throw new TvBuilderException(ErrorCode.BAD_REFERENCE, "builder '" + builder + "': reference " + r
                            + " (at position " + r.pos() + ") reads every column of self; name the columns it needs");
                }
                return;
            }
            cols.stream().filter(c -> !c.equals(Ref.INDEX)).forEach(c -> out.add("self." + c));
            return;
        }
        String base = table + (r.version() == null ? "" : "(" + r.version() + ")");
        if (cols.isEmpty()) {
            out.add(base);
        } else {
            cols.stream().filter(c -> !c.equals(Ref.INDEX)).forEach(c -> out.add(base + "." + c));
            if (cols.stream().allMatch(c -> c.equals(Ref.INDEX))) {
                out.add(base);
            }
        }
    }

    private static List<Part> parts(Ref r) {
        List<Part> out = new ArrayList<>();
        out.add(r.table());
        if (r.version() != null) {
            out.add(r.version());
        }
        out.addAll(r.columns());
        for (Cond c : r.conditions()) {
            out.add(c.column());
            if (c.low() != null) {
                out.add(c.low());
            }
            if (c.high() != null) {
                out.add(c.high());
            }
        }
        return out;
    }
}
