package dev.tablevault.engine.ref;

import dev.tablevault.api.Column;
import dev.tablevault.api.ColumnType;
import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.Frame;
import dev.tablevault.api.TvBuilderException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The reference language: syntax, every condition form, nesting, result shapes, dependencies and errors. */
class ReferenceLanguageTest {
    /** orders: id LONG, customer STRING, total DOUBLE, at TIMESTAMP; rows 0..5. */
    private static final MemTable ORDERS = new MemTable(List.of(new Column("id", ColumnType.LONG),
            new Column("customer", ColumnType.STRING), new Column("total", ColumnType.DOUBLE),
            new Column("at", ColumnType.TIMESTAMP)), List.of(
            Arrays.asList(10L, "ann", 5.0, Instant.parse("2026-01-01T00:00:00Z")),
            Arrays.asList(11L, "bob", 7.5, Instant.parse("2026-01-02T00:00:00Z")),
            Arrays.asList(12L, "ann", 1.0, Instant.parse("2026-01-03T00:00:00Z")),
            Arrays.asList(13L, "cy", null, Instant.parse("2026-01-04T00:00:00Z")),
            Arrays.asList(14L, "bob", 2.5, null),
            Arrays.asList(2L, "2", 3.0, null)));
    /** self: key LONG (values 12, 10, 99), name STRING. */
    private static final MemTable SELF = new MemTable(List.of(new Column("key", ColumnType.LONG),
            new Column("name", ColumnType.STRING)), List.of(Arrays.asList(12L, "x"), Arrays.asList(10L, "y"),
            Arrays.asList(99L, "z")));

    record MemTable(List<Column> columns, List<List<Object>> data) implements RefTable {
        @Override
        public long rows() {
            return data.size();
        }

        @Override
        public Object value(int column, long row) {
            return data.get((int) row).get(column);
        }
    }

    private static final Map<String, RefTable> TABLES = Map.of("orders/", ORDERS, "orders/v1", ORDERS,
            "meta/", new MemTable(List.of(new Column("tbl", ColumnType.STRING), new Column("col", ColumnType.STRING)),
                    List.of(Arrays.asList("orders", "customer"))));

    static Resolver resolver() {
        return new Resolver((table, version, at) -> {
            if (table.equals(Ref.SELF)) {
                return SELF;
            }
            RefTable t = TABLES.get(table + "/" + (version == null ? "" : version));
            if (t == null) {
                throw new TvBuilderException(ErrorCode.BAD_REFERENCE, "no table " + table);
            }
            return t;
        }, "builder 'b'");
    }

    private static Object eval(String text, long row) {
        return resolver().value(Template.parse(text, "test"), row);
    }

    static Stream<Object[]> cases() {
        return Stream.of(
                new Object[] {"<<orders.customer[id::11]>>", -1L, "bob"},
                new Object[] {"<<orders(v1).customer[id::11]>>", -1L, "bob"},
                new Object[] {"<<orders.id[customer::ann]>>", -1L, List.of(10L, 12L)},
                new Object[] {"<<orders.id[customer::'ann']>>", -1L, List.of(10L, 12L)},
                new Object[] {"<<orders.id[customer::2]>>", -1L, 2L}, // a text column: the value is text
                new Object[] {"<<orders.id[total::2.5:7.5]>>", -1L, List.of(10L, 14L, 2L)},
                new Object[] {"<<orders.id[at::'2026-01-02T00:00:00Z':'2026-01-04T00:00:00Z']>>", -1L,
                        List.of(11L, 12L)},
                new Object[] {"<<orders.id[index::1:3]>>", -1L, List.of(11L, 12L)},
                new Object[] {"<<orders.customer[index]>>", 4L, "bob"},
                new Object[] {"<<orders.customer[id]>>", 2L, "2"}, // bare column: equals the current row position
                new Object[] {"<<orders.customer[id::<<self.key[index]>>]>>", 0L, "ann"},
                new Object[] {"<<orders.customer[id::<<self.key[index]>>]>>", 2L, null},
                new Object[] {"<<orders.total[customer::ann, id::12]>>", -1L, 1.0},
                new Object[] {"<<orders.total[customer::nobody]>>", -1L, null},
                new Object[] {"<<orders.total[id::13]>>", -1L, null},
                new Object[] {"<<self.index>>", 7L, 7L},
                new Object[] {"<<self.name[key::99]>>", -1L, "z"},
                new Object[] {"<<orders.<<meta.col>>[id::10]>>", -1L, "ann"},
                new Object[] {"<<<<meta.tbl>>.id[index::0]>>", -1L, 10L},
                new Object[] {"row <<self.index>>: <<orders.customer[index]>>!", 1L, "row 1: bob!"},
                new Object[] {"none: [<<orders.total[id::13]>>]", -1L, "none: []"},
                new Object[] {"list <<orders.id[customer::bob]>>", -1L, "list [11, 14]"},
                new Object[] {"\\<<not a ref>>", -1L, "\\<<not a ref>>"}, // Template keeps text; Args unescapes
                new Object[] {"< <orders.id[index::0]>> << orders . id [ index :: 0 ] >>", -1L, "< <orders.id[index::0]>> 10"});
    }

    @ParameterizedTest(name = "[{index}] {0} @ {1}")
    @MethodSource("cases")
    void everyConditionFormAndNesting(String text, long row, Object expected) {
        Template t = Template.parse(text, "test");
        if (text.startsWith("\\")) {
            assertThat(t.refs()).isEmpty();
            return;
        }
        assertThat(eval(text, row)).isEqualTo(expected);
    }

    @Test
    void resultShapes() {
        Object frame = eval("<<orders.{id,customer}[customer::bob]>>", -1);
        assertThat(frame).isInstanceOf(Frame.class);
        Frame f = (Frame) frame;
        assertThat(f.columnNames()).containsExactly("id", "customer");
        assertThat(f.column(0)).containsExactly(11L, 14L);
        assertThat(((Frame) eval("<<orders>>", -1)).rowCount()).isEqualTo(6);
        assertThat(((Frame) eval("<<orders.{index,id}[id::12]>>", -1)).row(0)).containsExactly(2L, 12L);
        assertThat(eval("<<orders.id>>", -1)).isEqualTo(List.of(10L, 11L, 12L, 13L, 14L, 2L));
    }

    /** Seeded equality and range lookups agree with a plain scan. */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void lookupsAgreeWithAScan(long seed) {
        Random rnd = new Random(seed);
        List<List<Object>> rows = new ArrayList<>();
        int n = 200 + rnd.nextInt(300);
        for (int i = 0; i < n; i++) {
            rows.add(Arrays.asList(rnd.nextInt(10) == 0 ? null : (long) rnd.nextInt(50), "s" + rnd.nextInt(20)));
        }
        MemTable t = new MemTable(List.of(new Column("k", ColumnType.LONG), new Column("s", ColumnType.STRING)), rows);
        Resolver r = new Resolver((table, version, at) -> t, "b");
        for (int q = 0; q < 50; q++) {
            long lo = rnd.nextInt(55) - 2;
            long hi = lo + rnd.nextInt(20);
            String s = "s" + rnd.nextInt(20);
            List<Object> want = IntStream.range(0, n).filter(i -> rows.get(i).get(0) != null
                    && (Long) rows.get(i).get(0) >= lo && (Long) rows.get(i).get(0) < hi && rows.get(i).get(1).equals(s))
                    .mapToObj(i -> (Object) (long) i).toList();
            Object got = r.value(Template.parse("<<t.index[k::" + lo + ":" + hi + ", s::" + s + "]>>", "q"), -1);
            assertThat(got == null ? List.of() : got instanceof List<?> l ? l : List.of(got))
                    .as("k in [%d,%d) and s = %s", lo, hi, s).isEqualTo(want);
        }
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "<<|2|a table name",
        "x <<orders|10|'>>'",
        "<<orders(v1>>|11|')'",
        "<<orders.>>|9|a column name",
        "<<orders.{id,}>>|13|a column name",
        "<<orders[id::]>>|13|a value",
        "<<orders[id::'x]>>|13|a closing '",
        "<<orders[id::1:]>>|15|a value",
        "<<orders.id[]>>|12|a condition column",
        "<<orders.id>|11|'>>'",
        "<<orders.id[id::1>>|17|']'",
        "<<orders.id[id::<<self.k>>>>|26|']'"})
    void badSyntaxNamesThePosition(String text, int pos, String expected) {
        TvBuilderException e = catchThrowableOfType(() -> Template.parse(text, "builder 'b' argument 'p'"),
                TvBuilderException.class);
        assertThat(e.code()).isEqualTo(ErrorCode.BAD_REFERENCE);
        assertThat(e.getMessage()).contains("builder 'b' argument 'p'").contains("position " + pos)
                .contains("expected " + expected);
    }

    /** Nested as tables (name inside name) or as condition values; closed or not. */
    @ParameterizedTest(name = "[{index}] depth {0}, {1}")
    @CsvSource({"33,<<,.id>>", "33,<<orders.id[id::,]>>", "20000,<<,.id>>", "20000,<<orders.id[id::,]>>",
        "20000,<<,"})
    void nestingDeeperThanTheLimitIsABadReferenceNotAStackOverflow(int depth, String open, String close) {
        String text = open.repeat(depth) + "orders.id" + (close == null ? "" : close.repeat(depth));
        TvBuilderException e = catchThrowableOfType(() -> Template.parse(text, "builder 'b' argument 'p'"),
                TvBuilderException.class);
        assertThat(e.code()).isEqualTo(ErrorCode.BAD_REFERENCE);
        assertThat(e.getMessage()).contains("builder 'b' argument 'p'").contains("nest more than 32 deep");
        String deepest = "<<orders.id[id::".repeat(Template.MAX_DEPTH - 1) + "<<orders.id>>" + "]>>".repeat(
                Template.MAX_DEPTH - 1);
        assertThat(Template.parse(deepest, "p").refs()).hasSize(1);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
        "<<orders.nope>>|names column 'nope'",
        "<<orders.id[total::abc]>>|'abc' is not a DOUBLE",
        "<<orders.id[id::1.5]>>|'1.5' is not a LONG",
        "<<orders.id[at::yesterday]>>|'yesterday' is not a TIMESTAMP",
        "<<self.index>>|needs the current row",
        "<<orders.id[index]>>|needs the current row",
        "<<self(v1).key>>|'self' takes no version",
        "<<orders.<<orders.id>>>>|must give one value, gave 6 values",
        "<<orders.id[id::<<orders.id>>]>>|must give one value, gave 6 values"})
    void resolutionErrorsNameTheReference(String text, String what) {
        TvBuilderException e = catchThrowableOfType(() -> eval(text, -1), TvBuilderException.class);
        assertThat(e.code()).isEqualTo(ErrorCode.BAD_REFERENCE);
        assertThat(e.getMessage()).contains("builder 'b'").contains(what);
    }

    @Test
    void dependenciesAreDerivedFromEveryReference() {
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("prompt", "Summarize <<orders(v1).total[customer::<<self.name[index]>>]>> for <<users.email>>");
        args.put("nested", Map.of("list", List.of("<<self.key>>", "plain", 3)));
        args.put("whole", "<<products>>");
        Args a = Args.parse(args, "b");
        assertThat(a.perRow()).isTrue();
        assertThat(a.dependencies("b", false)).containsExactlyInAnyOrder("orders(v1).total",
                "orders(v1).customer", "self.name", "users.email", "self.key", "products");
        assertThat(Args.parse(Map.of("x", "no refs \\<<here>>"), "b").resolve(null, -1))
                .isEqualTo(Map.of("x", "no refs <<here>>"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"<<<<meta.tbl>>.id>>", "<<orders(<<meta.col>>).id>>", "<<orders.<<meta.col>>>>",
        "<<orders.id[<<meta.col>>::1]>>"})
    void dynamicReferencesNeedExplicitDependencies(String text) {
        Args a = Args.parse(Map.of("p", text), "b");
        TvBuilderException e = catchThrowableOfType(() -> a.dependencies("b", false), TvBuilderException.class);
        assertThat(e.code()).isEqualTo(ErrorCode.BAD_REFERENCE);
        assertThat(e.getMessage()).contains("unclear dependencies").contains("'dependencies'");
        assertThat(a.dependencies("b", true)).doesNotContain("orders.id");
    }

    @Test
    void wholeSelfNeedsColumns() {
        TvBuilderException e = catchThrowableOfType(() -> Args.parse(Map.of("p", "<<self>>"), "b")
                .dependencies("b", false), TvBuilderException.class);
        assertThat(e.getMessage()).contains("reads every column of self");
    }
}
