package dev.tablevault.engine.ref;

import dev.tablevault.api.Column;
import dev.tablevault.api.ColumnType;
import dev.tablevault.api.TvBuilderException;
import dev.tablevault.engine.ref.ReferenceLanguageTest.MemTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

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

    @Test
    void theEqualityIndexHoldsEveryNonNullValueWithItsRowsAscending() {
        MemTable t = new MemTable(List.of(new Column("k", ColumnType.STRING)), List.of(Arrays.asList("a"),
                Arrays.asList((Object) null), Arrays.asList("b"), Arrays.asList("a"), Arrays.asList("a"),
                Arrays.asList((Object) null), Arrays.asList("c"), Arrays.asList("b"), Arrays.asList("a"),
                Arrays.asList("a"), Arrays.asList("a")));
        Map<Object, long[]> idx = ColumnIndex.equalities(t, 0);
        assertThat(idx).containsOnlyKeys("a", "b", "c");
        assertThat(idx.get("a")).containsExactly(0, 3, 4, 8, 9, 10);
        assertThat(idx.get("b")).containsExactly(2, 7);
        assertThat(idx.get("c")).containsExactly(6);
        assertThat(Resolver.equal(idx, "d")).isEmpty();
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
        Object[] n = ColumnIndex.cells(t, 0, 1 << 20);
        assertThat(n).hasSize(100);
        for (int i = 0; i < 100; i++) {
            assertThat(n[i]).isEqualTo(t.value(0, i));
        }
        assertThat(ColumnIndex.cells(t, 1, 1 << 20)).hasSize(100);
        assertThat(ColumnIndex.cells(t, 1, 100 * 8 + 50 * 56)).as("text past the budget").isNull();
        assertThat(ColumnIndex.cells(t, 0, 100 * 8 - 1)).as("references alone past the budget").isNull();
        assertThat(ColumnIndex.cells(t, 2, 1 << 20)).as("an OBJECT value: size unknown").isNull();
    }
}
