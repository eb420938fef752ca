package dev.tablevault.engine.ref;

import dev.tablevault.api.Column;
import dev.tablevault.api.ColumnType;
import dev.tablevault.api.TvBuilderException;
import dev.tablevault.engine.ref.ReferenceLanguageTest.MemTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** A template bound to a resolver ({@link Resolver#bind}) gives what the resolver gives, values and errors. */
class BoundTest {
    @ParameterizedTest(name = "[{index}] {0} @ {1}")
    @MethodSource("dev.tablevault.engine.ref.ReferenceLanguageTest#cases")
    void everyFormOfTheLanguageTestGivesTheSameValue(String text, long row, Object expected) {
        Template t = Template.parse(text, "test");
        if (t.refs().isEmpty()) {
            return;
        }
        Bound b = ReferenceLanguageTest.resolver().bind(t);
        assertThat(b.value(row)).isEqualTo(expected);
        assertThat(b.value(row)).as("again, with what the first call fetched").isEqualTo(expected);
    }

    private static final String[] TABLES = {"orders", "self", "nope"};
    private static final String[] COLUMNS = {"id", "customer", "total", "at", "index", "key", "name", "nope",
        "{id,customer}"};
    private static final String[] CONDITIONS = {"index", "id", "customer", "key", "id::11", "id::2", "id::99",
        "id::1.5", "customer::ann", "customer::'bob'", "customer::2", "total::2.5", "total::abc", "at::yesterday",
        "at::'2026-01-02T00:00:00Z'", "index::3", "index::-1", "index::<<self.key[index]>>", "id::<<self.key[index]>>",
        "customer::<<self.name[index]>>", "id::<<orders.id>>", "total::1:8", "nope::1", "key::12", "name::y",
        "id::<<orders.id[index]>>", "index::<<self.index>>"};

    /** Seeded references of every shape, bound and not, at rows before, inside and past the tables. */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void randomReferencesGiveTheSameValueOrError(long seed) {
        Random rnd = new Random(seed);
        for (int q = 0; q < 300; q++) {
            StringBuilder ref = new StringBuilder("<<").append(TABLES[rnd.nextInt(10) == 0 ? 2 : rnd.nextInt(2)]);
            if (rnd.nextInt(12) == 0) {
                ref.append("(v1)");
            }
            if (rnd.nextInt(8) != 0) {
                ref.append('.').append(COLUMNS[rnd.nextInt(COLUMNS.length)]);
            }
            int conds = rnd.nextInt(4) == 0 ? 0 : 1 + rnd.nextInt(2);
            for (int c = 0; c < conds; c++) {
                ref.append(c == 0 ? "[" : ", ").append(CONDITIONS[rnd.nextInt(CONDITIONS.length)]);
            }
            ref.append(conds > 0 ? "]>>" : ">>");
            String text = rnd.nextInt(4) == 0 ? "a " + ref + " b <<self.index>>" : ref.toString();
            Template t = Template.parse(text, "q");
            Resolver r = ReferenceLanguageTest.resolver();
            Bound b = r.bind(t);
            for (long row : new long[] {-1, 0, 1, 2, 5, 7}) {
                assertThat(outcome(() -> b.value(row))).as("%s at row %d", text, row)
                        .isEqualTo(outcome(() -> r.value(t, row)));
            }
        }
    }

    private static Object outcome(java.util.function.Supplier<Object> f) {
        try {
            return f.get();
        } catch (TvBuilderException e) {
            return "error " + e.code() + ": " + e.getMessage();
        }
    }

    /** Seeded columns with duplicates, nulls and extreme keys: the index gives exactly the rows a scan gives. */
    @ParameterizedTest(name = "{0}, seed {1}")
    @CsvSource({"LONG,1,wide", "LONG,2,wide", "LONG,3,dense", "LONG,4,dense", "LONG,5,near MAX", "LONG,6,near MIN",
        "STRING,7,wide", "STRING,8,wide", "DOUBLE,9,wide"})
    void theEqualityIndexGivesTheRowsOfEachValueAscending(ColumnType type, long seed, String keys) {
        Random rnd = new Random(seed);
        List<Object> pool = new ArrayList<>();
        long from = keys.equals("near MAX") ? Long.MAX_VALUE - 39 : keys.equals("near MIN") ? Long.MIN_VALUE : -7;
        for (int i = 0; i < 40; i++) {
            // Wide keys are hashed; keys spanning fewer values than the rows are indexed densely.
            long k = !keys.equals("wide") ? from + i
                    : i < 4 ? new long[] {Long.MIN_VALUE, Long.MAX_VALUE, 0, -1}[i] : rnd.nextLong() % 1000;
            pool.add(type == ColumnType.LONG ? (Object) k : type == ColumnType.DOUBLE ? (Object) (k / 4.0) : "s" + k);
        }
        List<List<Object>> rows = new ArrayList<>();
        int n = 80 + rnd.nextInt(3000);
        for (int i = 0; i < n; i++) {
            rows.add(Arrays.asList(rnd.nextInt(9) == 0 ? null : pool.get(rnd.nextInt(rnd.nextBoolean() ? 40 : 8))));
        }
        MemTable t = new MemTable(List.of(new Column("k", type)), rows);
        ColumnIndex.Equality idx = ColumnIndex.equalities(t, 0);
        List<Object> probes = new ArrayList<>(pool);
        probes.add(type == ColumnType.LONG ? (Object) 5000L : type == ColumnType.DOUBLE ? (Object) 0.125 : "absent");
        if (type == ColumnType.LONG) {
            probes.addAll(List.of(Long.MIN_VALUE, Long.MIN_VALUE + 1, Long.MAX_VALUE, Long.MAX_VALUE - 1, -8L, 33L,
                    from - 1, from + 40));
        }
        for (Object v : probes) {
            long[] want = IntStream.range(0, n).filter(i -> v.equals(rows.get(i).get(0))).asLongStream().toArray();
            assertThat(idx.rows(v)).as("rows of %s", v).containsExactly(want);
            assertThat(Resolver.equal(idx, v)).containsExactly(want);
        }
        assertThat(Resolver.equal(idx, null)).isEmpty();
    }

    @Test
    void cellsAreHeldOnlyWithinTheBudgetAndOnlyForValuesOfKnownSize() {
        List<List<Object>> rows = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            rows.add(Arrays.asList(i % 7 == 0 ? null : (long) i, "text " + i, i == 50 ? new int[] {1} : null));
        }
        MemTable t = new MemTable(List.of(new Column("n", ColumnType.LONG), new Column("s", ColumnType.STRING),
                new Column("o", ColumnType.OBJECT)), rows);
        ColumnIndex.Cells n = ColumnIndex.cells(t, 0, 1 << 20);
        ColumnIndex.Cells s = ColumnIndex.cells(t, 1, 1 << 20);
        for (int i = 0; i < 100; i++) {
            assertThat(n.value(i)).as("LONG row %d", i).isEqualTo(t.value(0, i));
            assertThat(s.value(i)).as("STRING row %d", i).isEqualTo(t.value(1, i));
        }
        assertThat(ColumnIndex.cells(t, 1, 100 * 8 + 50 * 56)).as("text past the budget").isNull();
        assertThat(ColumnIndex.cells(t, 0, 100 * 8 - 1)).as("a LONG array past the budget").isNull();
        assertThat(ColumnIndex.cells(t, 1, 100 * 8 - 1)).as("references alone past the budget").isNull();
        assertThat(ColumnIndex.cells(t, 2, 1 << 20)).as("an OBJECT value: size unknown").isNull();
    }
}
