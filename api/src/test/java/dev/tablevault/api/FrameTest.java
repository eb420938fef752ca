package dev.tablevault.api;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FrameTest {
    private static final Column ID = new Column("id", ColumnType.LONG);
    private static final Column NAME = new Column("name", ColumnType.STRING);
    private static final Column DATA = new Column("data", ColumnType.BYTES);

    /** A sample non-null value of each type. */
    static Object sample(ColumnType t) {
        return switch (t) {
            case LONG -> 7L;
            case DOUBLE -> 1.5;
            case BOOLEAN -> true;
            case STRING -> "text";
            case BYTES -> new byte[]{1, 2, 3};
            case TIMESTAMP -> Instant.ofEpochSecond(1_700_000_000L, 5);
            case DURATION -> Duration.ofMillis(1500);
            case ARTIFACT -> "images/a.png";
            case OBJECT -> List.of("any", 1, Map.of("k", 2.5));
        };
    }

    /** A value of the wrong type for each type; null for OBJECT, which takes any value. */
    static Object wrong(ColumnType t) {
        return switch (t) {
            case LONG -> 7;
            case DOUBLE -> 1.5f;
            case BOOLEAN -> "true";
            case STRING, ARTIFACT -> 'c';
            case BYTES -> new Byte[]{1};
            case TIMESTAMP -> 1_700_000_000L;
            case DURATION -> 1500L;
            case OBJECT -> null;
        };
    }

    // ---- builder --------------------------------------------------------------------------------------------

    @Test
    void builderCollectsRowsIntoColumns() {
        Frame f = Frame.builder().column("id", ColumnType.LONG).column("name", ColumnType.STRING)
                .row(1L, "a").row(2L, null).row(3L, "c").build();
        assertThat(f.columns()).containsExactly(ID, NAME);
        assertThat(f.columnNames()).containsExactly("id", "name");
        assertThat(f.rowCount()).isEqualTo(3);
        assertThat(f.columnCount()).isEqualTo(2);
        assertThat(f.column(0)).containsExactly(1L, 2L, 3L);
        assertThat(f.column("name")).containsExactly("a", null, "c");
        assertThat(f.get(1, 1)).isNull();
        assertThat(f.get(2, 0)).isEqualTo(3L);
        assertThat(f.row(0)).containsExactly(1L, "a");
        assertThat(f.columnIndex("name")).isEqualTo(1);
        assertThat(f.columnIndex("missing")).isEqualTo(-1);
        assertThat(f.toString()).contains("id").contains("name").contains("3 rows");
    }

    @Test
    void builderWithoutRowsGivesAnEmptyFrameWithItsColumns() {
        Frame f = Frame.builder().column("id", ColumnType.LONG).build();
        assertThat(f.rowCount()).isZero();
        assertThat(f.columns()).containsExactly(ID);
        Frame none = Frame.builder().build();
        assertThat(none.rowCount()).isZero();
        assertThat(none.columnCount()).isZero();
    }

    @Test
    void builderRejectsRowsOfTheWrongWidth() {
        Frame.Builder b = Frame.builder().column("id", ColumnType.LONG).column("name", ColumnType.STRING);
        assertThatThrownBy(() -> b.row(1L)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1")
                .hasMessageContaining("2");
        assertThatThrownBy(() -> b.row(1L, "a", "extra")).isInstanceOf(IllegalArgumentException.class);
        // The failed rows left nothing behind.
        assertThat(b.row(1L, "a").build().rowCount()).isEqualTo(1);
    }

    @Test
    void builderRejectsColumnsAfterRows() {
        Frame.Builder b = Frame.builder().column("id", ColumnType.LONG).row(1L);
        assertThatThrownBy(() -> b.column("late", ColumnType.STRING)).isInstanceOf(IllegalStateException.class);
        assertThat(b.build().columns()).containsExactly(ID);
    }

    @Test
    void builderRejectsValuesOfTheWrongTypeAndDuplicateNames() {
        assertThatThrownBy(() -> Frame.builder().column("id", ColumnType.LONG).row(1).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("id")
                .hasMessageContaining("java.lang.Integer");
        assertThatThrownBy(() -> Frame.builder().column("id", ColumnType.LONG).column("id", ColumnType.STRING)
                .build()).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'id'");
    }

    @Test
    void builderRejectsNullColumnNameOrType() {
        assertThatThrownBy(() -> Frame.builder().column(null, ColumnType.LONG)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> Frame.builder().column("id", null)).isInstanceOf(NullPointerException.class);
    }

    // ---- ofColumns validation -------------------------------------------------------------------------------

    @Test
    void ofColumnsRejectsRaggedColumns() {
        assertThatThrownBy(() -> Frame.ofColumns(List.of(ID, NAME), List.of(List.of(1L, 2L), List.of("a"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'name'").hasMessageContaining("1")
                .hasMessageContaining("2");
        assertThatThrownBy(() -> Frame.ofColumns(List.of(ID, NAME), List.of(List.of(1L), List.of("a", "b"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'name'");
    }

    @Test
    void ofColumnsRejectsAColumnCountMismatch() {
        assertThatThrownBy(() -> Frame.ofColumns(List.of(ID, NAME), List.of(List.of(1L))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2").hasMessageContaining("1");
        assertThatThrownBy(() -> Frame.ofColumns(List.of(ID), List.of(List.of(1L), List.of("a"))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void ofColumnsRejectsDuplicateNames() {
        assertThatThrownBy(() -> Frame.ofColumns(List.of(ID, new Column("id", ColumnType.STRING)),
                List.of(List.of(1L), List.of("a")))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("duplicate").hasMessageContaining("'id'");
    }

    @ParameterizedTest
    @EnumSource(ColumnType.class)
    void ofColumnsAcceptsItsTypeAndNullAndRejectsOthers(ColumnType type) {
        Column c = new Column("c", type);
        List<Object> ok = new ArrayList<>(Arrays.asList(sample(type), null, sample(type)));
        Frame f = Frame.ofColumns(List.of(c), List.of(ok));
        assertThat(f.rowCount()).isEqualTo(3);
        assertThat(f.get(1, 0)).isNull();
        assertThat(type.accepts(null)).isTrue();
        assertThat(type.accepts(sample(type))).isTrue();
        if (type == ColumnType.OBJECT) {
            return; // takes any value: objectColumnsTakeAnyValue
        }
        assertThat(type.accepts(wrong(type))).isFalse();

        List<Object> bad = new ArrayList<>(Arrays.asList(sample(type), null, wrong(type)));
        assertThatThrownBy(() -> Frame.ofColumns(List.of(c), List.of(bad)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'c'").hasMessageContaining("row 2")
                .hasMessageContaining(type.name());
    }

    @Test
    void objectColumnsTakeAnyValue() {
        List<Object> values = Arrays.asList(7L, "s", new byte[]{1}, new int[]{1, 2}, List.of(1), Map.of("a", 1),
                new Column("x", ColumnType.LONG), null, Instant.EPOCH);
        values.forEach(v -> assertThat(ColumnType.OBJECT.accepts(v)).isTrue());
        assertThat(ColumnType.OBJECT.javaType()).isEqualTo(Object.class);
        Frame f = Frame.ofColumns(List.of(new Column("o", ColumnType.OBJECT)), List.of(values));
        assertThat(f.column("o")).hasSize(values.size());
        assertThat(f.get(6, 0)).isEqualTo(new Column("x", ColumnType.LONG));
    }

    /** Arrays (bytes, and any array in an OBJECT column) compare by content, nested ones too. */
    @Test
    void valueEqualsComparesArraysByContent() {
        assertThat(Frame.valueEquals(new byte[]{1, 2}, new byte[]{1, 2})).isTrue();
        assertThat(Frame.valueEquals(new byte[]{1, 2}, new byte[]{1, 3})).isFalse();
        assertThat(Frame.valueEquals(new int[]{1, 2}, new int[]{1, 2})).isTrue();
        assertThat(Frame.valueEquals(new Object[]{"a", new long[]{3}}, new Object[]{"a", new long[]{3}})).isTrue();
        assertThat(Frame.valueEquals(new Object[]{"a", new long[]{3}}, new Object[]{"a", new long[]{4}})).isFalse();
        assertThat(Frame.valueEquals(null, null)).isTrue();
        assertThat(Frame.valueEquals(null, 1L)).isFalse();
        assertThat(Frame.valueEquals(List.of(1), List.of(1))).isTrue();
        Frame a = Frame.builder().column("o", ColumnType.OBJECT).row((Object) new int[]{1, 2}).build();
        Frame b = Frame.builder().column("o", ColumnType.OBJECT).row((Object) new int[]{1, 2}).build();
        assertThat(a).isEqualTo(b);
    }

    @Test
    void ofColumnsRejectsNulls() {
        assertThatThrownBy(() -> Frame.ofColumns(null, List.of())).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> Frame.ofColumns(List.of(), null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void allNullColumnsOfEveryTypeAreAllowed() {
        List<Column> cols = new ArrayList<>();
        List<List<Object>> vals = new ArrayList<>();
        for (ColumnType t : ColumnType.values()) {
            cols.add(new Column("c_" + t, t));
            vals.add(Arrays.asList(null, null));
        }
        Frame f = Frame.ofColumns(cols, vals);
        assertThat(f.rowCount()).isEqualTo(2);
        assertThat(f.row(1)).hasSize(ColumnType.values().length).containsOnlyNulls();
    }

    // ---- immutability ---------------------------------------------------------------------------------------

    @Test
    void frameDoesNotChangeWhenItsSourceListsDo() {
        List<Column> cols = new ArrayList<>(List.of(ID));
        List<Object> ids = new ArrayList<>(List.of(1L, 2L));
        List<List<Object>> vals = new ArrayList<>(List.of(ids));
        Frame f = Frame.ofColumns(cols, vals);
        ids.set(0, 99L);
        ids.add(3L);
        cols.add(NAME);
        vals.add(List.of("x"));
        assertThat(f.column(0)).containsExactly(1L, 2L);
        assertThat(f.columns()).containsExactly(ID);
        assertThat(f.rowCount()).isEqualTo(2);
    }

    @Test
    void columnsAndValuesAreUnmodifiable() {
        Frame f = Frame.builder().column("id", ColumnType.LONG).row(1L).build();
        assertThatThrownBy(() -> f.column(0).set(0, 5L)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> f.column("id").add(5L)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> f.columns().add(NAME)).isInstanceOf(UnsupportedOperationException.class);
        List<Object> row = f.row(0);
        row.set(0, 9L);
        assertThat(f.get(0, 0)).isEqualTo(1L);
    }

    /** The frame is documented as immutable: a byte array put in, or read out, must not change it. */
    @Test
    void byteArrayValuesCannotBeChangedFromOutside() {
        byte[] in = {1, 2, 3};
        Frame f = Frame.builder().column("data", ColumnType.BYTES).row((Object) in).build();
        in[0] = 9;
        assertThat((byte[]) f.get(0, 0)).containsExactly(1, 2, 3);
        ((byte[]) f.get(0, 0))[1] = 9;
        assertThat((byte[]) f.get(0, 0)).containsExactly(1, 2, 3);
    }

    // ---- equality -------------------------------------------------------------------------------------------

    @Test
    void equalFramesAreEqualWithEqualHashCodes() {
        Frame a = Frame.builder().column("id", ColumnType.LONG).column("data", ColumnType.BYTES)
                .row(1L, new byte[]{1, 2}).row(null, null).build();
        Frame b = Frame.ofColumns(List.of(ID, DATA), List.of(Arrays.asList(1L, null),
                Arrays.asList(new byte[]{1, 2}, null)));
        assertThat(a).isEqualTo(b);
        assertThat(b).isEqualTo(a);
        assertThat(a.hashCode()).isEqualTo(b.hashCode());
        assertThat(a).isEqualTo(a);
    }

    @Test
    void byteArraysCompareByContent() {
        Frame a = Frame.builder().column("data", ColumnType.BYTES).row((Object) new byte[]{1, 2}).build();
        Frame same = Frame.builder().column("data", ColumnType.BYTES).row((Object) new byte[]{1, 2}).build();
        Frame other = Frame.builder().column("data", ColumnType.BYTES).row((Object) new byte[]{1, 3}).build();
        Frame longer = Frame.builder().column("data", ColumnType.BYTES).row((Object) new byte[]{1, 2, 0}).build();
        Frame empty = Frame.builder().column("data", ColumnType.BYTES).row((Object) new byte[0]).build();
        Frame nul = Frame.builder().column("data", ColumnType.BYTES).row((Object) null).build();
        assertThat(a).isEqualTo(same).isNotEqualTo(other).isNotEqualTo(longer).isNotEqualTo(empty)
                .isNotEqualTo(nul);
        assertThat(empty).isNotEqualTo(nul);
        assertThat(nul).isNotEqualTo(empty);
        assertThat(Frame.valueEquals(new byte[]{4}, new byte[]{4})).isTrue();
        assertThat(Frame.valueEquals(new byte[]{4}, null)).isFalse();
        assertThat(Frame.valueEquals(null, null)).isTrue();
        assertThat(Frame.valueEquals(1L, 1)).isFalse();
    }

    @Test
    void nullsAreValuesInEquality() {
        Frame a = Frame.builder().column("name", ColumnType.STRING).row("x").row((Object) null).build();
        Frame b = Frame.builder().column("name", ColumnType.STRING).row("x").row((Object) null).build();
        Frame c = Frame.builder().column("name", ColumnType.STRING).row((Object) null).row("x").build();
        Frame d = Frame.builder().column("name", ColumnType.STRING).row("x").row("null").build();
        assertThat(a).isEqualTo(b).isNotEqualTo(c).isNotEqualTo(d);
    }

    @Test
    void framesDifferingInShapeOrValuesAreNotEqual() {
        Frame base = Frame.builder().column("id", ColumnType.LONG).row(1L).build();
        assertThat(base).isNotEqualTo(Frame.builder().column("id", ColumnType.LONG).row(2L).build());
        assertThat(base).isNotEqualTo(Frame.builder().column("id", ColumnType.LONG).row(1L).row(1L).build());
        assertThat(base).isNotEqualTo(Frame.builder().column("key", ColumnType.LONG).row(1L).build());
        assertThat(base).isNotEqualTo(Frame.builder().column("id", ColumnType.LONG).build());
        assertThat(Frame.builder().column("s", ColumnType.STRING).row("a").build())
                .isNotEqualTo(Frame.builder().column("s", ColumnType.ARTIFACT).row("a").build());
        assertThat(Frame.builder().column("a", ColumnType.LONG).column("b", ColumnType.LONG).row(1L, 2L).build())
                .isNotEqualTo(Frame.builder().column("b", ColumnType.LONG).column("a", ColumnType.LONG)
                        .row(2L, 1L).build());
        assertThat(base).isNotEqualTo(null).isNotEqualTo("Frame[id][1 rows]");
    }

    @Test
    void doublesCompareAsDoubleEquals() {
        Frame nan = Frame.builder().column("d", ColumnType.DOUBLE).row(Double.NaN).build();
        assertThat(nan).isEqualTo(Frame.builder().column("d", ColumnType.DOUBLE).row(Double.NaN).build());
        assertThat(Frame.builder().column("d", ColumnType.DOUBLE).row(0.0).build())
                .isNotEqualTo(Frame.builder().column("d", ColumnType.DOUBLE).row(-0.0).build());
    }

    // ---- lookups --------------------------------------------------------------------------------------------

    @Test
    void lookupsOutOfRangeFail() {
        Frame f = Frame.builder().column("id", ColumnType.LONG).row(1L).build();
        assertThatThrownBy(() -> f.column("missing")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("missing").hasMessageContaining("id");
        assertThatThrownBy(() -> f.column(1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> f.get(1, 0)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> f.row(-1)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void columnRecordRequiresNameAndType() {
        assertThatThrownBy(() -> new Column(null, ColumnType.LONG)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new Column("id", null)).isInstanceOf(NullPointerException.class);
        assertThat(new Column("id", ColumnType.LONG)).isEqualTo(ID);
    }

    /** The same values built from lists, from rows and from vectors: equal frames, equal cells, typed or boxed. */
    @ParameterizedTest
    @EnumSource(ColumnType.class)
    void framesFromListsRowsAndVectorsAreEqual(ColumnType t) {
        Column c = new Column("c", t);
        List<Object> values = Arrays.asList(sample(t), null, sample(t));
        Frame fromLists = Frame.ofColumns(List.of(ID, c), List.of(Arrays.asList(1L, 2L, 3L), values));
        Frame.Builder rows = Frame.builder().column("id", ColumnType.LONG).column("c", t);
        for (int r = 0; r < 3; r++) {
            rows.row(r + 1L, values.get(r));
        }
        Frame fromVectors = Frame.ofVectors(List.of(ID, c), List.of(ColumnVector.of(ColumnType.LONG, 1L, 2L, 3L),
                ColumnVector.of(t, values.toArray())));
        assertThat(fromLists).isEqualTo(rows.build()).isEqualTo(fromVectors);
        assertThat(fromVectors.getLong(2, 0)).isEqualTo(3L);
        assertThat(fromVectors.isNull(1, 1)).isTrue();
        assertThat(fromVectors.isNull(0, 1)).isFalse();
        assertThat(Frame.valueEquals(fromVectors.get(0, 1), sample(t))).isTrue();
        assertThat(fromVectors.column(1)).hasSize(3);
        assertThat(fromVectors.vector(1).type()).isEqualTo(t);
        Frame other = Frame.ofVectors(List.of(ID, c), List.of(ColumnVector.of(ColumnType.LONG, 1L, 2L, 3L),
                ColumnVector.of(t, sample(t), sample(t), sample(t))));
        assertThat(other).isNotEqualTo(fromVectors);
    }

    @Test
    void typedAccessorsReadEachType() {
        Instant t = Instant.ofEpochSecond(-5, 7);
        Frame f = Frame.builder().column("d", ColumnType.DOUBLE).column("b", ColumnType.BOOLEAN)
                .column("s", ColumnType.STRING).column("x", ColumnType.BYTES).column("t", ColumnType.TIMESTAMP)
                .column("u", ColumnType.DURATION).row(2.5, true, "é", new byte[] {4}, t, Duration.ofNanos(-3))
                .build();
        assertThat(f.getDouble(0, 0)).isEqualTo(2.5);
        assertThat(f.getBoolean(0, 1)).isTrue();
        assertThat(f.getString(0, 2)).isEqualTo("é");
        assertThat(f.getBytes(0, 3)).containsExactly(4);
        assertThat(f.getTimestamp(0, 4)).isEqualTo(t);
        assertThat(f.getDuration(0, 5)).isEqualTo(Duration.ofNanos(-3));
        assertThatThrownBy(() -> f.getLong(0, 0)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void ofVectorsRefusesMismatches() {
        ColumnVector longs = ColumnVector.of(ColumnType.LONG, 1L, 2L);
        assertThatThrownBy(() -> Frame.ofVectors(List.of(NAME), List.of(longs)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'name' is STRING");
        assertThatThrownBy(() -> Frame.ofVectors(List.of(ID, new Column("b", ColumnType.LONG)),
                List.of(longs, ColumnVector.of(ColumnType.LONG, 1L)))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected 2");
        assertThatThrownBy(() -> Frame.ofVectors(List.of(ID, ID), List.of(longs, longs)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("duplicate");
        assertThatThrownBy(() -> Frame.ofVectors(List.of(ID), List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void columnViewsAreUnmodifiable() {
        Frame f = Frame.ofVectors(List.of(ID), List.of(ColumnVector.of(ColumnType.LONG, 1L)));
        assertThatThrownBy(() -> f.column(0).set(0, 2L)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> f.column("id").add(2L)).isInstanceOf(UnsupportedOperationException.class);
        assertThat(f.column("id")).containsExactly(1L);
    }
}
