package dev.tablevault.engine.ref;

import dev.tablevault.api.Column;
import dev.tablevault.api.ColumnType;
import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.Frame;
import dev.tablevault.api.TvBuilderException;
import dev.tablevault.engine.ref.Ref.Cond;
import dev.tablevault.engine.ref.Ref.Nested;
import dev.tablevault.engine.ref.Ref.Part;
import dev.tablevault.engine.ref.Ref.Text;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Evaluates references against a {@link RefSource}. A result is simplified as in TableVault: no row or no
 * column is null, one cell is the value, one column is a list, anything else a {@link Frame}. Conditions on
 * a column are answered from an index of that column, built once per resolver (memory: one entry per distinct
 * value of each column a condition reads; a sorted copy for ranges). {@link #bind} prepares a template for
 * evaluation row after row. Thread safe.
 */
public final class Resolver {
    /** The heap a column read at scattered rows may take when held as an array: an eighth of the maximum. */
    private static final long CELLS_BUDGET = Runtime.getRuntime().maxMemory() / 8;
    private final RefSource source;
    private final String where;
    private final Map<IndexKey, ColumnIndex.Equality> equalities = new ConcurrentHashMap<>();
    private final Map<IndexKey, NavigableMap<Object, long[]>> orders = new ConcurrentHashMap<>();
    /** A column's cells, or {@link #NO_CELLS} when they do not fit {@link #CELLS_BUDGET}. */
    private final Map<IndexKey, ColumnIndex.Cells> cells = new ConcurrentHashMap<>();
    private static final ColumnIndex.Cells NO_CELLS = row -> null;

    private record IndexKey(RefTable table, int column) {
    }

    /** {@code where} names the builder in errors. */
    public Resolver(RefSource source, String where) {
        this.source = source;
        this.where = where;
    }

    /**
     * The value of a template: a single reference keeps its value's type; otherwise the text with each
     * reference replaced by its value rendered as text (null as empty text). {@code row} is the current row, or
     * -1 when there is none.
     */
    public Object value(Template t, long row) {
        if (t.single()) {
            return eval(t.refs().get(0), row);
        }
        StringBuilder sb = new StringBuilder();
        for (Object p : t.pieces()) {
            sb.append(p instanceof Ref r ? render(eval(r, row)) : p);
        }
        return sb.toString();
    }

    static String render(Object v) {
        return v == null ? "" : v.toString();
    }

    /**
     * {@code t} prepared for evaluation row after row: the same values and errors as {@link #value}, with the
     * tables, columns and literal values of its references looked up once, here, instead of per row.
     */
    public Bound bind(Template t) {
        return Bound.of(this, t);
    }

    RefSource source() {
        return source;
    }

    /** The value of one reference for {@code row} (-1: none). */
    public Object eval(Ref r, long row) {
        String tableName = name(r.table(), row, r);
        String version = r.version() == null ? null : name(r.version(), row, r);
        if (tableName.equals(Ref.SELF) && version != null) {
            throw error(r, "'self' takes no version: it is the instance being built");
        }
        RefTable t = source.table(tableName, version, r);
        List<Integer> cols = new ArrayList<>();
        if (r.columns().isEmpty()) {
            for (int c = 0; c < t.columns().size(); c++) {
                cols.add(c);
            }
        } else {
            for (Part p : r.columns()) {
                cols.add(column(t, name(p, row, r), r));
            }
        }
        if (tableName.equals(Ref.SELF) && cols.equals(List.of(-1)) && r.conditions().isEmpty()) {
            return currentRow(r, row); // <<self.index>> is the current row's position
        }
        long[] rows = null; // null: every row
        for (Cond c : r.conditions()) {
            long[] match = match(t, c, row, r);
            rows = rows == null ? match : intersect(rows, match);
        }
        long n = rows == null ? t.rows() : rows.length;
        if (n == 0 || cols.isEmpty()) {
            return null;
        }
        if (n > Integer.MAX_VALUE - 8) {
            throw error(r, "selects " + n + " rows, more than a list can hold; add a condition");
        }
        List<List<Object>> values = new ArrayList<>();
        for (int c : cols) {
            List<Object> v = new ArrayList<>((int) n);
            for (int k = 0; k < n; k++) {
                long at = rows == null ? k : rows[k];
                v.add(c < 0 ? (Object) at : t.value(c, at));
            }
            values.add(v);
        }
        if (cols.size() == 1) {
            return n == 1 ? values.get(0).get(0) : values.get(0);
        }
        List<Column> columns = cols.stream().map(c -> c < 0 ? new Column(Ref.INDEX, ColumnType.LONG)
                : t.columns().get(c)).toList();
        return Frame.ofColumns(columns, values);
    }

    long currentRow(Ref r, long row) {
        if (row < 0) {
            throw error(r, "needs the current row, which only row-wise builders have");
        }
        return row;
    }

    private long[] match(RefTable t, Cond c, long row, Ref r) {
        int col = column(t, name(c.column(), row, r), r);
        ColumnType type = col < 0 ? ColumnType.LONG : t.columns().get(col).type();
        return switch (c.kind()) {
            case CURRENT -> col < 0 ? positions(t, currentRow(r, row), currentRow(r, row) + 1)
                    : equal(t, col, coerce(currentRow(r, row), type, c, r));
            case EQUALS -> {
                Object v = coerce(value(c.low(), row, r), type, c, r);
                yield col >= 0 ? equal(t, col, v) : v == null ? new long[0] : positions(t, (Long) v, (Long) v + 1);
            }
            case RANGE -> {
                Object lo = coerce(value(c.low(), row, r), type, c, r);
                Object hi = coerce(value(c.high(), row, r), type, c, r);
                yield col >= 0 ? range(t, col, lo, hi) : lo == null || hi == null ? new long[0]
                        : positions(t, (Long) lo, (Long) hi);
            }
        };
    }

    static long[] positions(RefTable t, long from, long to) {
        long lo = Math.max(0, from);
        long hi = Math.min(t.rows(), to);
        if (hi <= lo) {
            return new long[0];
        }
        long[] out = new long[(int) Math.min(hi - lo, Integer.MAX_VALUE - 8)];
        for (int k = 0; k < out.length; k++) {
            out[k] = lo + k;
        }
        return out;
    }

    private long[] equal(RefTable t, int col, Object v) {
        return equal(equalities(t, col), v);
    }

    /** The rows of {@code index} holding {@code v}: none for null. Shared: not to be changed. */
    static long[] equal(ColumnIndex.Equality index, Object v) {
        return v == null ? new long[0] : index.rows(v);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private long[] range(RefTable t, int col, Object lo, Object hi) {
        if (lo == null || hi == null || ((Comparable) lo).compareTo(hi) >= 0) {
            return new long[0];
        }
        Collection<long[]> parts = orders.computeIfAbsent(new IndexKey(t, col), k -> ColumnIndex.sorted(t, col))
                .subMap(lo, true, hi, false).values();
        int n = parts.stream().mapToInt(a -> a.length).sum();
        long[] out = new long[n];
        int k = 0;
        for (long[] a : parts) {
            System.arraycopy(a, 0, out, k, a.length);
            k += a.length;
        }
        Arrays.sort(out);
        return out;
    }

    /** The equality index of column {@code col} of {@code t}, built on first use. */
    ColumnIndex.Equality equalities(RefTable t, int col) {
        return equalities.computeIfAbsent(new IndexKey(t, col), k -> ColumnIndex.equalities(t, col));
    }

    /** The cells of column {@code col} of {@code t} (read once, on first use), or null when they are too large. */
    ColumnIndex.Cells cells(RefTable t, int col) {
        ColumnIndex.Cells c = cells.computeIfAbsent(new IndexKey(t, col), k -> {
            ColumnIndex.Cells all = ColumnIndex.cells(t, col, CELLS_BUDGET);
            return all == null ? NO_CELLS : all;
        });
        return c == NO_CELLS ? null : c;
    }

    static long[] intersect(long[] a, long[] b) {
        long[] out = new long[Math.min(a.length, b.length)];
        int i = 0;
        int j = 0;
        int n = 0;
        while (i < a.length && j < b.length) {
            if (a[i] == b[j]) {
                out[n++] = a[i];
                i++;
                j++;
            } else if (a[i] < b[j]) {
                i++;
            } else {
                j++;
            }
        }
        return Arrays.copyOf(out, n);
    }

    /** The column's position in {@code t}, or -1 for the {@code index} pseudo-column. */
    int column(RefTable t, String name, Ref r) {
        if (name.equals(Ref.INDEX)) {
            return -1;
        }
        for (int c = 0; c < t.columns().size(); c++) {
            if (t.columns().get(c).name().equals(name)) {
                return c;
            }
        }
        throw error(r, "names column '" + name + "', which is not among "
                + t.columns().stream().map(Column::name).toList());
    }

    private String name(Part p, long row, Ref r) {
        Object v = value(p, row, r);
        if (v == null) {
            throw error(r, "nested reference " + p + " gave nothing to use as a name");
        }
        return v.toString();
    }

    private Object value(Part p, long row, Ref r) {
        if (p instanceof Text t) {
            return t.text();
        }
        return one(p, eval(((Nested) p).ref(), row), r);
    }

    /** {@code v}, the value of nested reference {@code p}, when it is one value. */
    Object one(Part p, Object v, Ref r) {
        if (v instanceof List || v instanceof Frame) {
            throw error(r, "nested reference " + p + " must give one value, gave "
                    + (v instanceof List<?> l ? l.size() + " values" : "a table"));
        }
        return v;
    }

    Object coerce(Object v, ColumnType type, Cond c, Ref r) {
        if (v == null) {
            return null;
        }
        if (type == ColumnType.BYTES || type == ColumnType.OBJECT) {
            throw error(r, "condition " + c + " is on a " + type + " column; conditions work on numbers, booleans,"
                    + " text, timestamps and durations");
        }
        try {
            if (type.accepts(v)) {
                return v;
            }
            if (v instanceof Number n && type == ColumnType.LONG) {
                return exactLong(n);
            }
            if (v instanceof Number n && type == ColumnType.DOUBLE) {
                return n.doubleValue();
            }
            return type.parse(v.toString());
        } catch (IllegalArgumentException e) {
            throw error(r, "condition " + c + ": '" + v + "' is not a " + type + " value");
        }
    }

    private static long exactLong(Number n) {
        if (n.doubleValue() != n.longValue()) {
            throw new NumberFormatException(n.toString());
        }
        return n.longValue();
    }

    TvBuilderException error(Ref r, String what) {
        return new TvBuilderException(ErrorCode.BAD_REFERENCE, where + ": reference " + r + " (at position "
                + r.pos() + ") " + what);
    }
}
