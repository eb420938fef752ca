package dev.tablevault.engine.exec;

import dev.tablevault.api.Column;
import dev.tablevault.api.ColumnType;
import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.TableVaultException;
import dev.tablevault.api.TvBuilderException;
import dev.tablevault.engine.ref.RefTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link Alignment} on in-memory tables: matching re-executed rows to origin rows by key or by position. */
class AlignmentTest {

    /** Rows of values under {@code columns}; counts the cells read. */
    private static final class Mem implements RefTable {
        private final List<Column> columns;
        private final List<List<Object>> rows;
        int reads;

        Mem(List<String> names, List<List<Object>> rows) {
            this.columns = names.stream().map(n -> new Column(n, ColumnType.STRING)).toList();
            this.rows = rows;
        }

        @Override
        public List<Column> columns() {
            return columns;
        }

        @Override
        public long rows() {
            return rows.size();
        }

        @Override
        public Object value(int column, long row) {
            reads++;
            return rows.get((int) row).get(column);
        }
    }

    /** One-column keys, with a value column in front so positions differ from names. */
    private static Mem keys(Object... keys) {
        List<List<Object>> rows = new ArrayList<>();
        for (Object k : keys) {
            rows.add(Arrays.asList("v", k));
        }
        return new Mem(List.of("val", "k"), rows);
    }

    private static Alignment byKey(Mem now, Mem old, boolean keepOld) {
        return Alignment.of(now, old, "t_index", List.of("k"), keepOld);
    }

    private static List<Long> map(Alignment a) {
        return LongStream.range(0, a.rows()).map(a::origin).boxed().toList();
    }

    @Test
    void rowsMatchOnTheKeyWhateverTheirPosition() {
        Alignment a = byKey(keys("c", "a", "x"), keys("a", "b", "c"), false);
        assertThat(map(a)).containsExactly(2L, 0L, -1L);
        assertThat(a.indexRows()).isEqualTo(3);
        assertThat(a.identity()).isFalse();
        assertThat(a.allMapped()).isFalse();
    }

    @Test
    void keepOldAppendsUnmatchedOriginRowsInOriginOrder() {
        Alignment a = byKey(keys("c", "x"), keys("a", "b", "c", "d"), true);
        assertThat(map(a)).containsExactly(2L, -1L, 0L, 1L, 3L);
        assertThat(a.indexRows()).isEqualTo(2);
        assertThat(a.rows()).isEqualTo(5);
        assertThat(a.identity()).isFalse();
    }

    @Test
    void aCompositeKeyMatchesOnAllItsColumns() {
        Mem old = new Mem(List.of("a", "b"), List.of(List.of(1L, "x"), List.of(1L, "y"), List.of(2L, "x")));
        Mem now = new Mem(List.of("b", "a"), List.of(List.of("x", 2L), List.of("y", 2L), List.of("y", 1L)));
        Alignment a = Alignment.of(now, old, "t_index", List.of("a", "b"), false);
        assertThat(map(a)).containsExactly(2L, -1L, 1L);
    }

    @Test
    void equalKeySequencesAreTheIdentityWithoutBuildingAMap() {
        Mem old = keys("a", "b", "c");
        Alignment a = byKey(keys("a", "b", "c"), old, false);
        assertThat(map(a)).containsExactly(0L, 1L, 2L);
        assertThat(a.identity()).isTrue();
        assertThat(a.allMapped()).isTrue();
        assertThat(old.reads).as("each origin key read once, for the comparison only").isEqualTo(3);

        Mem reordered = keys("a", "b", "c");
        Alignment b = byKey(keys("b", "a", "c"), reordered, false);
        assertThat(b.identity()).isFalse();
        assertThat(b.allMapped()).isTrue();
        assertThat(reordered.reads).as("compared up to the first difference, then mapped").isEqualTo(1 + 3);
    }

    @Test
    void withoutAKeyRowsMatchByPosition() {
        Mem old = new Mem(List.of("v"), List.of(List.of("a"), List.of("b"), List.of("c")));
        Mem two = new Mem(List.of("v"), List.of(List.of("x"), List.of("y")));
        Mem four = new Mem(List.of("v"), List.of(List.of("1"), List.of("2"), List.of("3"), List.of("4")));
        assertThat(map(Alignment.of(two, old, "t_index", List.of(), false))).containsExactly(0L, 1L);
        Alignment kept = Alignment.of(two, old, "t_index", List.of(), true);
        assertThat(map(kept)).containsExactly(0L, 1L, 2L);
        assertThat(kept.indexRows()).isEqualTo(2);
        assertThat(kept.identity()).isFalse();
        Alignment grown = Alignment.of(four, old, "t_index", List.of(), true);
        assertThat(map(grown)).containsExactly(0L, 1L, 2L, -1L);
        assertThat(grown.allMapped()).isFalse();
        Alignment same = Alignment.of(four, four, "t_index", List.of(), false);
        assertThat(same.identity()).isTrue();
        assertThat(same.allMapped()).isTrue();
    }

    @Test
    void anOriginWithoutTheKeyColumnsMatchesNothing() {
        Mem old = new Mem(List.of("other"), List.of(List.of("a"), List.of("b")));
        Alignment a = byKey(keys("a", "b"), old, false);
        assertThat(map(a)).containsExactly(-1L, -1L);
        assertThat(a.identity()).isFalse();
    }

    @Test
    void aNullKeyIsBadBuilderNamingTheRow() {
        assertThatThrownBy(() -> byKey(keys("a", "b", null), keys("a", "b", "c"), false))
                .isInstanceOf(TvBuilderException.class)
                .satisfies(e -> assertThat(((TableVaultException) e).code()).isEqualTo(ErrorCode.BAD_BUILDER))
                .hasMessageContaining("builder 't_index' produced a null primary key [k] at row 2");
    }

    @Test
    void aRepeatedKeyIsBadBuilderNamingBothRows() {
        assertThatThrownBy(() -> byKey(keys("a", "b", "c", "b"), keys("a"), false))
                .isInstanceOf(TvBuilderException.class)
                .satisfies(e -> assertThat(((TableVaultException) e).code()).isEqualTo(ErrorCode.BAD_BUILDER))
                .hasMessageContaining("produced primary key [b] at rows 1 and 3; keys [k] must be unique");
    }

    @Test
    void theFirstOfRepeatedOriginKeysWins() {
        assertThat(map(byKey(keys("b", "a"), keys("a", "b", "a", "b"), true))).containsExactly(1L, 0L, 2L, 3L);
    }

    static LongStream seeds() {
        return LongStream.range(0, 300);
    }

    /**
     * Random origin keys (possibly repeated) and new keys (unique, with seeded nulls and repeats injected), by key
     * or by position, with or without keepOld, against a model map from origin key to its first row.
     */
    @ParameterizedTest(name = "[{index}] seed {0}")
    @MethodSource("seeds")
    void randomKeyListsMatchTheModel(long seed) {
        Random r = new Random(seed);
        int space = 1 + r.nextInt(30);
        List<Object> oldKeys = new ArrayList<>();
        int oldRows = r.nextInt(25);
        boolean oldRepeats = r.nextInt(4) == 0;
        Set<Object> taken = new HashSet<>();
        while (oldKeys.size() < oldRows && taken.size() < space) {
            Object k = "k" + r.nextInt(space);
            if (oldRepeats || taken.add(k)) {
                taken.add(k);
                oldKeys.add(k);
            }
        }
        List<Object> newKeys = new ArrayList<>();
        switch (r.nextInt(4)) {
            case 0 -> newKeys.addAll(new LinkedHashSet<>(oldKeys)); // the fast path when the origin's are unique
            case 1 -> { // a shuffled subset
                newKeys.addAll(new ArrayList<>(new HashSet<>(oldKeys)));
                java.util.Collections.shuffle(newKeys, r);
                newKeys.subList(0, r.nextInt(newKeys.size() + 1)).clear();
            }
            default -> {
                Set<Object> seen = new HashSet<>();
                for (int i = r.nextInt(25); i > 0; i--) {
                    Object k = "k" + r.nextInt(space + 5);
                    if (seen.add(k)) {
                        newKeys.add(k);
                    }
                }
            }
        }
        boolean faulty = new HashSet<>(oldKeys).size() == oldKeys.size() && !newKeys.isEmpty() && r.nextInt(5) == 0;
        if (faulty) { // a null or a repeat at a random row
            int at = r.nextInt(newKeys.size());
            if (r.nextBoolean()) {
                newKeys.set(at, null);
            } else {
                newKeys.add(r.nextInt(newKeys.size() + 1), newKeys.get(at));
            }
        }
        boolean keepOld = r.nextBoolean();
        boolean positional = r.nextInt(5) == 0;
        Mem now = keys(newKeys.toArray());
        Mem old = keys(oldKeys.toArray());
        List<String> pk = positional ? List.of() : List.of("k");

        if (positional) {
            int rows = Math.max(newKeys.size(), keepOld ? oldKeys.size() : 0);
            List<Long> expected = new ArrayList<>();
            for (int i = 0; i < rows; i++) {
                expected.add(i < oldKeys.size() ? (long) i : -1L);
            }
            Alignment a = Alignment.of(now, old, "t_index", pk, keepOld);
            assertThat(map(a)).isEqualTo(expected);
            assertThat(a.identity()).isEqualTo(newKeys.size() == oldKeys.size());
            return;
        }
        int nullAt = newKeys.indexOf(null);
        if (nullAt >= 0) {
            assertThatThrownBy(() -> Alignment.of(now, old, "t_index", pk, keepOld))
                    .isInstanceOf(TvBuilderException.class).hasMessageContaining("null primary key [k] at row "
                            + nullAt + ";");
            return;
        }
        Map<Object, Integer> first = new HashMap<>();
        for (int i = 0; i < newKeys.size(); i++) {
            Integer before = first.putIfAbsent(newKeys.get(i), i);
            if (before != null) {
                String rows = "at rows " + before + " and " + i + ";";
                assertThatThrownBy(() -> Alignment.of(now, old, "t_index", pk, keepOld))
                        .isInstanceOf(TvBuilderException.class).hasMessageContaining(rows);
                return;
            }
        }
        Map<Object, Long> model = new HashMap<>();
        for (int i = 0; i < oldKeys.size(); i++) {
            model.putIfAbsent(oldKeys.get(i), (long) i);
        }
        List<Long> expected = new ArrayList<>();
        for (Object k : newKeys) {
            expected.add(model.getOrDefault(k, -1L));
        }
        if (keepOld) {
            for (long i = 0; i < oldKeys.size(); i++) {
                if (!expected.contains(i)) {
                    expected.add(i);
                }
            }
        }
        Alignment a = Alignment.of(now, old, "t_index", pk, keepOld);
        assertThat(map(a)).isEqualTo(expected);
        assertThat(a.indexRows()).isEqualTo(newKeys.size());
        assertThat(a.identity()).isEqualTo(newKeys.equals(oldKeys));
        assertThat(a.allMapped()).isEqualTo(!expected.contains(-1L));
    }

    @Test
    void anAlignmentWhoseRowMapCannotFitIsRefusedBeforeReadingAnything() {
        long heap = 256L << 20;
        Alignment.checkFits("idx", 10_000_000, 10_000_000, true, heap);
        assertThatThrownBy(() -> Alignment.checkFits("idx", 20_000_000, 10_000_000, true, heap))
                .isInstanceOf(TvBuilderException.class)
                .hasMessageContaining("builder 'idx'", "needs 228 MiB", "256 MiB heap", "force");
        assertThatThrownBy(() -> Alignment.checkFits("idx", Integer.MAX_VALUE, 0, false, Long.MAX_VALUE))
                .as("an array cannot hold it, whatever the heap").isInstanceOf(TvBuilderException.class);
    }
}
