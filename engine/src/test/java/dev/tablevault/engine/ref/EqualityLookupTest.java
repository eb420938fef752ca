package dev.tablevault.engine.ref;

import dev.tablevault.api.Column;
import dev.tablevault.api.ColumnType;
import dev.tablevault.api.TvBuilderException;
import dev.tablevault.engine.ref.ReferenceLanguageTest.MemTable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Equality lookups ({@code [col::value]}, a bare {@code [col]}, nested values) on every comparable column type,
 * with duplicates, nulls, missing keys, coercions and their errors, against a plain scan of the table.
 */
class EqualityLookupTest {
    private static final List<Column> COLUMNS = List.of(new Column("k", ColumnType.LONG),
            new Column("d", ColumnType.DOUBLE), new Column("s", ColumnType.STRING), new Column("b", ColumnType.BOOLEAN),
            new Column("ts", ColumnType.TIMESTAMP), new Column("du", ColumnType.DURATION),
            new Column("v", ColumnType.STRING));
    private static final double[] DOUBLES = {0.0, -0.0, 1.5, Double.NaN, 2.0, -3.25};
    /** self: one column per type of t, nested references read them at the current row. */
    private static final List<Column> SELF_COLUMNS = List.of(new Column("k", ColumnType.LONG),
            new Column("d", ColumnType.DOUBLE), new Column("s", ColumnType.STRING));

    /** A random table: few distinct values per column (duplicates), about one null in eight. */
    private static MemTable table(Random rnd, int n) {
        List<List<Object>> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            rows.add(Arrays.asList(
                    maybe(rnd, (long) rnd.nextInt(12) - 2),
                    maybe(rnd, DOUBLES[rnd.nextInt(DOUBLES.length)]),
                    maybe(rnd, "s" + rnd.nextInt(8)),
                    maybe(rnd, rnd.nextBoolean()),
                    maybe(rnd, Instant.ofEpochSecond(1_700_000_000L + rnd.nextInt(5))),
                    maybe(rnd, Duration.ofSeconds(rnd.nextInt(5))),
                    "v" + i));
        }
        return new MemTable(COLUMNS, rows);
    }

    private static Object maybe(Random rnd, Object v) {
        return rnd.nextInt(8) == 0 ? null : v;
    }

    /** What a query's literal is, as text in the reference, and the value it stands for. */
    private record Literal(String text, Object value) {
    }

    private static Literal literal(Random rnd, int col) {
        return switch (col) {
            case 0 -> {
                long k = rnd.nextInt(16) - 4; // some keys are missing
                yield new Literal(Long.toString(k), k);
            }
            case 1 -> {
                double d = rnd.nextInt(5) == 0 ? 7.0 : DOUBLES[rnd.nextInt(DOUBLES.length)];
                yield new Literal(Double.toString(d), d);
            }
            case 2 -> {
                String s = "s" + rnd.nextInt(10);
                yield new Literal(rnd.nextBoolean() ? s : "'" + s + "'", s);
            }
            case 3 -> {
                boolean b = rnd.nextBoolean();
                yield new Literal(rnd.nextBoolean() ? Boolean.toString(b) : Boolean.toString(b).toUpperCase(), b);
            }
            case 4 -> {
                Instant t = Instant.ofEpochSecond(1_700_000_000L + rnd.nextInt(6));
                yield new Literal("'" + t + "'", t);
            }
            default -> {
                Duration d = Duration.ofSeconds(rnd.nextInt(6));
                yield new Literal(d.toString(), d);
            }
        };
    }

    /** The rows whose column {@code col} equals {@code want} (never a null cell). */
    private static List<Integer> scan(MemTable t, int col, Object want) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < t.rows(); i++) {
            Object v = t.value(col, i);
            if (v != null && want != null && v.equals(want)) {
                out.add(i);
            }
        }
        return out;
    }

    /** The simplified result: null for no row, the value for one, a list for more. */
    private static Object shape(List<Integer> rows, Function<Integer, Object> value) {
        if (rows.isEmpty()) {
            return null;
        }
        List<Object> out = rows.stream().map(value).toList();
        return out.size() == 1 ? out.get(0) : out;
    }

    /** Every way the engine evaluates a template must give this: per call, and bound to the resolver. */
    private static void check(Resolver r, String text, long row, Object want) {
        Template t = Template.parse(text, "q");
        assertThat(r.value(t, row)).as("%s at row %d", text, row).isEqualTo(want);
        assertThat(r.bind(t).value(row)).as("%s at row %d, bound", text, row).isEqualTo(want);
    }

    /** Both ways of evaluating {@code text} fail with a message containing {@code what}. */
    private static void fails(Resolver r, String text, long row, String what) {
        Template t = Template.parse(text, "q");
        assertThat(catchThrowableOfType(() -> r.value(t, row), TvBuilderException.class))
                .as("%s at row %d", text, row).hasMessageContaining(what);
        assertThat(catchThrowableOfType(() -> r.bind(t).value(row), TvBuilderException.class))
                .as("%s at row %d, bound", text, row).hasMessageContaining(what);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6})
    void literalKeysOfEveryTypeAgreeWithAScan(long seed) {
        Random rnd = new Random(seed);
        MemTable t = table(rnd, 50 + rnd.nextInt(200));
        Resolver r = new Resolver((table, version, at) -> t, "b");
        for (int q = 0; q < 200; q++) {
            int col = rnd.nextInt(6);
            Literal lit = literal(rnd, col);
            List<Integer> rows = scan(t, col, lit.value());
            String name = COLUMNS.get(col).name();
            check(r, "<<t.v[" + name + "::" + lit.text() + "]>>", -1, shape(rows, i -> t.value(6, i)));
            check(r, "<<t.index[" + name + "::" + lit.text() + "]>>", -1, shape(rows, i -> (long) i));
            check(r, "<<t." + name + "[" + name + "::" + lit.text() + "]>>", -1, shape(rows, i -> t.value(col, i)));
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {7, 8, 9})
    void nestedKeysAndBareConditionsAgreeWithAScan(long seed) {
        Random rnd = new Random(seed);
        MemTable t = table(rnd, 50 + rnd.nextInt(100));
        List<List<Object>> selfRows = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            selfRows.add(Arrays.asList(maybe(rnd, (long) rnd.nextInt(14) - 3),
                    maybe(rnd, rnd.nextBoolean() ? (double) (rnd.nextInt(12) - 2) : DOUBLES[rnd.nextInt(DOUBLES.length)]),
                    maybe(rnd, rnd.nextBoolean() ? "s" + rnd.nextInt(9) : Integer.toString(rnd.nextInt(12) - 2))));
        }
        MemTable self = new MemTable(SELF_COLUMNS, selfRows);
        Resolver r = new Resolver((table, version, at) -> table.equals(Ref.SELF) ? self : t, "b");
        for (int row = 0; row < selfRows.size(); row++) {
            int at = row;
            Long key = (Long) self.value(0, row);
            check(r, "<<t.v[k::<<self.k[index]>>]>>", row, shape(scan(t, 0, key), i -> t.value(6, i)));
            check(r, "<<t.v[k]>>", row, shape(scan(t, 0, (long) at), i -> t.value(6, i)));
            check(r, "<<t.v[index]>>", row, row < t.rows() ? t.value(6, row) : null);
            check(r, "<<t.v[index, k]>>", row,
                    row < t.rows() && Objects.equals(t.value(0, row), (long) row) ? t.value(6, row) : null);
            // A null position selects nothing, as a null key does (it was a NullPointerException).
            check(r, "<<t.v[index::<<self.k[index]>>]>>", row,
                    key != null && key >= 0 && key < t.rows() ? t.value(6, key) : null);
            check(r, "<<t.v[s::<<self.s[index]>>, k::<<self.k[index]>>]>>", row, shape(scan(t, 0, key).stream()
                    .filter(i -> self.value(2, at) != null && self.value(2, at).equals(t.value(2, i))).toList(), i -> t.value(6, i)));
            check(r, "<<t.index[index::<<self.k[index]>>:5]>>", row, key == null || key >= Math.min(5, t.rows()) ? null
                    : shape(IntStream.range((int) Math.max(0, key), 5).boxed().toList(), i -> (long) i));
            check(r, "<<self.k[index]>>", row, key);
            check(r, "k=<<self.k[index]>> v=<<t.v[index]>>", row, "k=" + (key == null ? "" : key) + " v="
                    + (row < t.rows() ? t.value(6, row) : ""));
            // A DOUBLE key on a LONG column: a whole number is that LONG, anything else is an error.
            Double d = (Double) self.value(1, row);
            String dq = "<<t.v[k::<<self.d[index]>>]>>";
            if (d == null || d == Math.rint(d) && !Double.isInfinite(d)) {
                check(r, dq, row, shape(scan(t, 0, d == null ? null : d.longValue()), i -> t.value(6, i)));
            } else {
                fails(r, dq, row, "is not a LONG value");
            }
            // A STRING key on a LONG column: parsed when it is a number, an error when not.
            String s = (String) self.value(2, row);
            String sq = "<<t.v[k::<<self.s[index]>>]>>";
            Long parsed = s == null || !s.matches("-?[0-9]+") ? null : Long.parseLong(s);
            if (s == null || parsed != null) {
                check(r, sq, row, shape(scan(t, 0, parsed), i -> t.value(6, i)));
            } else {
                fails(r, sq, row, "'" + s + "' is not a LONG value");
            }
        }
    }
}
