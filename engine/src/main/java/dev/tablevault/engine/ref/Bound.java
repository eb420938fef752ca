package dev.tablevault.engine.ref;

import dev.tablevault.api.ColumnType;
import dev.tablevault.api.TvBuilderException;
import dev.tablevault.engine.ref.Ref.Cond;
import dev.tablevault.engine.ref.Ref.Kind;
import dev.tablevault.engine.ref.Ref.Nested;
import dev.tablevault.engine.ref.Ref.Text;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A {@link Template} bound to one {@link Resolver}, for evaluation row after row with the same values and errors
 * as {@link Resolver#value}. A reference of the per-row forms ({@code <<self.index>>}, and one column under
 * position or equality conditions: {@code <<t.c[index]>>}, {@code <<t.c[key::<<self.k[index]>>]>>},
 * {@code <<t.c[key]>>}) whose table, version and columns are literal has them looked up here, once, with its
 * literal condition values converted once; each equality index is fetched once, and a column read at the rows
 * an index gives is read as an array ({@link Resolver#cells}) instead of chunk by chunk. Any other reference is
 * evaluated by {@link Resolver#eval} per row. Thread safe.
 */
public final class Bound {
    /** Literal text (String) and references ({@link Eval}) in order. */
    private final Object[] pieces;
    private final boolean single;

    private Bound(Object[] pieces, boolean single) {
        this.pieces = pieces;
        this.single = single;
    }

    static Bound of(Resolver res, Template t) {
        Object[] pieces = t.pieces().stream().map(p -> p instanceof Ref r ? eval(res, r) : p).toArray();
        return new Bound(pieces, t.single());
    }

    /** The template's value for {@code row} (-1: none), as {@link Resolver#value} gives it. */
    public Object value(long row) {
        if (single) {
            return ((Eval) pieces[0]).at(row);
        }
        StringBuilder sb = new StringBuilder();
        for (Object p : pieces) {
            sb.append(p instanceof Eval e ? Resolver.render(e.at(row)) : p);
        }
        return sb.toString();
    }

    /** One reference's value for a row. */
    private interface Eval {
        Object at(long row);
    }

    private static Eval eval(Resolver res, Ref r) {
        if (r.table() instanceof Text t && t.text().equals(Ref.SELF) && r.version() == null && r.conditions().isEmpty()
                && r.columns().size() == 1 && r.columns().get(0) instanceof Text c && c.text().equals(Ref.INDEX)) {
            return row -> res.currentRow(r, row);
        }
        Lookup l = Lookup.bind(res, r);
        return l != null ? l : row -> res.eval(r, row);
    }

    /** One column of a table under position and equality conditions, everything literal looked up. */
    private static final class Lookup implements Eval {
        private final RefTable table;
        /** The column read, -1 for the position. */
        private final int column;
        private final Condition[] conditions;
        /** Reads at the rows an index gives, set on first use; used when some condition is on a column. */
        private volatile ColumnIndex.Cells scattered;
        private final boolean indexed;
        private final Resolver res;

        private Lookup(Resolver res, RefTable table, int column, Condition[] conditions) {
            this.res = res;
            this.table = table;
            this.column = column;
            this.conditions = conditions;
            this.indexed = Arrays.stream(conditions).anyMatch(c -> c.column >= 0);
        }

        /** The bound form of {@code r}, or null when it is not one of the forms bound (or fails to bind). */
        static Lookup bind(Resolver res, Ref r) {
            if (!(r.table() instanceof Text tableName) || r.version() instanceof Nested || r.columns().size() != 1
                    || !(r.columns().get(0) instanceof Text columnName) || r.conditions().isEmpty()
                    || tableName.text().equals(Ref.SELF) && r.version() != null) {
                return null;
            }
            for (Cond c : r.conditions()) {
                if (!(c.column() instanceof Text) || c.kind() == Kind.RANGE) {
                    return null;
                }
            }
            try {
                RefTable t = res.source().table(tableName.text(), r.version() == null ? null : r.version().toString(), r);
                int col = res.column(t, columnName.text(), r);
                Condition[] conds = new Condition[r.conditions().size()];
                for (int i = 0; i < conds.length; i++) {
                    conds[i] = Condition.bind(res, r, t, r.conditions().get(i));
                }
                return new Lookup(res, t, col, conds);
            } catch (TvBuilderException e) {
                // Not lost: Resolver.eval meets the same error, in the same order, when the reference is evaluated.
                return null;
            }
        }

        @Override
        public Object at(long row) {
            if (conditions.length == 1 && conditions[0].column < 0) {
                long at = conditions[0].position(row); // one position condition: no array of rows
                return at < 0 ? null : read(at);
            }
            long[] rows = conditions[0].match(row);
            for (int i = 1; i < conditions.length; i++) {
                rows = Resolver.intersect(rows, conditions[i].match(row));
            }
            if (rows.length == 0) {
                return null;
            }
            if (rows.length == 1) {
                return read(rows[0]);
            }
            List<Object> out = new ArrayList<>(rows.length);
            for (long at : rows) {
                out.add(read(at));
            }
            return out;
        }

        private Object read(long row) {
            if (column < 0) {
                return row;
            }
            if (!indexed) {
                return table.value(column, row);
            }
            ColumnIndex.Cells c = scattered;
            if (c == null) {
                ColumnIndex.Cells all = res.cells(table, column);
                c = all == null ? at -> table.value(column, at) : all;
                scattered = c;
            }
            return c.value(row);
        }
    }

    /** One position or equality condition with its column looked up and a literal value converted. */
    private static final class Condition {
        private final Resolver res;
        private final Ref ref;
        private final Cond cond;
        private final RefTable table;
        /** The condition's column, -1 for the position. */
        private final int column;
        private final ColumnType type;
        /** The converted literal value, or null when the value is a nested reference or the current row. */
        private final Object literal;
        private final Eval nested;
        /** The column's equality index, fetched on first use. */
        private volatile ColumnIndex.Equality index;

        private Condition(Resolver res, Ref ref, Cond cond, RefTable table, int column, ColumnType type,
                          Object literal, Eval nested) {
            this.res = res;
            this.ref = ref;
            this.cond = cond;
            this.table = table;
            this.column = column;
            this.type = type;
            this.literal = literal;
            this.nested = nested;
        }

        static Condition bind(Resolver res, Ref r, RefTable t, Cond c) {
            int col = res.column(t, ((Text) c.column()).text(), r);
            ColumnType type = col < 0 ? ColumnType.LONG : t.columns().get(col).type();
            Object literal = c.kind() == Kind.EQUALS && c.low() instanceof Text v ? res.coerce(v.text(), type, c, r)
                    : null;
            Eval nested = c.kind() == Kind.EQUALS && c.low() instanceof Nested n ? eval(res, n.ref()) : null;
            return new Condition(res, r, c, t, col, type, literal, nested);
        }

        /** The row a condition on the position selects, or -1 for none. */
        long position(long row) {
            long at = cond.kind() == Kind.CURRENT ? res.currentRow(ref, row) : nested == null ? (Long) literal
                    : positionOf(res.coerce(res.one(cond.low(), nested.at(row), ref), type, cond, ref));
            return at >= 0 && at < table.rows() ? at : -1;
        }

        private static long positionOf(Object v) {
            return v == null ? -1 : (Long) v;
        }

        long[] match(long row) {
            Object v;
            if (cond.kind() == Kind.CURRENT) {
                long current = res.currentRow(ref, row);
                if (column < 0) {
                    return Resolver.positions(table, current, current + 1);
                }
                v = res.coerce(current, type, cond, ref);
            } else {
                v = nested == null ? literal : res.coerce(res.one(cond.low(), nested.at(row), ref), type, cond, ref);
                if (column < 0) {
                    return v == null ? new long[0] : Resolver.positions(table, (Long) v, (Long) v + 1);
                }
            }
            ColumnIndex.Equality idx = index;
            if (idx == null) {
                idx = res.equalities(table, column);
                index = idx;
            }
            return Resolver.equal(idx, v);
        }
    }
}
