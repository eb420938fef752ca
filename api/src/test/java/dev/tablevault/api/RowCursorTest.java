package dev.tablevault.api;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The default {@link RowCursor#nextBatch}: rows from {@code next}, at most {@code MAX_BATCH_ROWS} at a time. */
class RowCursorTest {
    /** A cursor over {@code n} rows {@code (i, "s" + i or null)} that implements only the row methods. */
    private static RowCursor rows(int n) {
        List<Column> cols = List.of(new Column("i", ColumnType.LONG), new Column("s", ColumnType.STRING));
        return new RowCursor() {
            private int at;

            @Override
            public List<Column> columns() {
                return cols;
            }

            @Override
            public String instanceId() {
                return "i1";
            }

            @Override
            public boolean hasNext() {
                return at < n;
            }

            @Override
            public List<Object> next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                List<Object> row = new ArrayList<>();
                row.add((long) at);
                row.add(at % 3 == 0 ? null : "s" + at);
                at++;
                return row;
            }

            @Override
            public void close() {
            }
        };
    }

    @Test
    void theDefaultBatchesRowsFromNextInOrder() {
        try (RowCursor c = rows(2 * RowCursor.MAX_BATCH_ROWS + 10)) {
            assertThat(c.next().get(0)).isEqualTo(0L);
            List<Frame> got = new ArrayList<>();
            got.add(c.nextBatch(5));
            got.add(c.nextBatch());
            got.add(c.nextBatch(Integer.MAX_VALUE));
            assertThat(c.next().get(0)).isEqualTo((long) 2 * RowCursor.MAX_BATCH_ROWS + 6);
            got.add(c.nextBatch());
            assertThat(got).extracting(Frame::rowCount).containsExactly(5, RowCursor.MAX_BATCH_ROWS,
                    RowCursor.MAX_BATCH_ROWS, 3);
            long row = 1;
            for (Frame f : got) {
                assertThat(f.columns()).isEqualTo(c.columns());
                for (int r = 0; r < f.rowCount(); r++, row++) {
                    if (row == 2 * RowCursor.MAX_BATCH_ROWS + 6) {
                        row++; // the row next() took
                    }
                    assertThat(f.getLong(r, 0)).isEqualTo(row);
                    assertThat(f.getString(r, 1)).isEqualTo(row % 3 == 0 ? null : "s" + row);
                }
            }
            assertThat(c.hasNext()).isFalse();
            assertThatThrownBy(c::nextBatch).isInstanceOf(NoSuchElementException.class);
        }
    }

    @Test
    void maxRowsBelowOneIsRefused() {
        try (RowCursor c = rows(3)) {
            assertThatThrownBy(() -> c.nextBatch(0)).isInstanceOf(IllegalArgumentException.class);
            assertThat(c.nextBatch().rowCount()).isEqualTo(3);
        }
    }
}
