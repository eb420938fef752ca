package dev.tablevault.engine;

import dev.tablevault.api.Column;
import dev.tablevault.api.ColumnType;
import dev.tablevault.api.ColumnVector;
import dev.tablevault.api.Frame;
import dev.tablevault.api.InstanceOptions;
import dev.tablevault.api.ReadOptions;
import dev.tablevault.api.RowCursor;
import dev.tablevault.api.TableOptions;
import dev.tablevault.api.Vault;
import dev.tablevault.api.VaultOptions;
import dev.tablevault.api.WriteOptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A frame of every column type (seeded values, nulls, three chunks, the last one partial) built as vectors,
 * written and read back in the owner and through its socket: {@code dataframe} and the {@code rows} cursor give
 * the values written, and the frame read equals the frame written cell by cell.
 */
class FrameVectorsTest {
    @TempDir
    Path tmp;

    static Frame everyType(int rows, long seed) {
        Random r = new Random(seed);
        List<Column> cols = new ArrayList<>();
        List<ColumnVector> vectors = new ArrayList<>();
        for (ColumnType t : ColumnType.values()) {
            cols.add(new Column("c_" + t.name().toLowerCase(), t));
            ColumnVector.Builder b = ColumnVector.builder(t, 16);
            for (int i = 0; i < rows; i++) {
                b.append(r.nextInt(5) == 0 ? null : t == ColumnType.ARTIFACT ? null : CodecTest.randomValue(t, r));
            }
            vectors.add(b.build());
        }
        return Frame.ofVectors(cols, vectors);
    }

    @ParameterizedTest(name = "[{index}] seed {0}")
    @ValueSource(longs = {1, 2})
    void everyTypeReadsBackAsWrittenHereAndThroughTheOwner(long seed) {
        Frame f = everyType(2 * 1024 + 300, seed);
        Path dir = tmp.resolve("v");
        try (Vault owner = TableVault.open(dir, VaultOptions.defaults().create(true))) {
            owner.createTable("t", TableOptions.defaults());
            owner.createInstance("t", InstanceOptions.defaults().externalEdit(true));
            owner.writeInstance("t", f, WriteOptions.defaults());
            try (Vault client = TableVault.open(dir, VaultOptions.defaults())) {
                for (Vault v : List.of(owner, client)) {
                    Frame back = v.dataframe("t", ReadOptions.latest());
                    assertThat(back).isEqualTo(f);
                    for (int c = 0; c < f.columnCount(); c++) {
                        assertThat(back.vector(c)).isEqualTo(f.vector(c));
                    }
                    int row = 0;
                    try (RowCursor cur = v.rows("t", ReadOptions.latest())) {
                        while (cur.hasNext()) {
                            List<Object> got = cur.next();
                            List<Object> want = f.row(row);
                            for (int c = 0; c < want.size(); c++) {
                                assertThat(Frame.valueEquals(got.get(c), want.get(c))).as("row " + row + " col " + c)
                                        .isTrue();
                            }
                            row++;
                        }
                    }
                    assertThat(row).isEqualTo(f.rowCount());
                }
            }
        }
    }

    @ParameterizedTest(name = "[{index}] seed {0}")
    @ValueSource(longs = {3})
    void cursorRowsAreUnmodifiableAndOutliveTheirChunk(long seed) {
        Frame f = everyType(1024 + 5, seed);
        try (Vault v = TableVault.open(tmp.resolve("v"), VaultOptions.defaults().create(true))) {
            v.createTable("t", TableOptions.defaults());
            v.createInstance("t", InstanceOptions.defaults().externalEdit(true));
            v.writeInstance("t", f, WriteOptions.defaults());
            List<List<Object>> rows = new ArrayList<>();
            try (RowCursor cur = v.rows("t", ReadOptions.latest())) {
                cur.forEachRemaining(rows::add);
            }
            assertThatThrownBy(() -> rows.get(0).set(0, null)).isInstanceOf(UnsupportedOperationException.class);
            assertThat(Frame.valueEquals(rows.get(0).get(0), f.get(0, 0))).isTrue();
            assertThat(Frame.valueEquals(rows.get(1028).get(2), f.get(1028, 2))).isTrue();
        }
    }
}
