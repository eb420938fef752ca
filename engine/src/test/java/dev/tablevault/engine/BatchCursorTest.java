package dev.tablevault.engine;

import dev.tablevault.api.BuilderSpec;
import dev.tablevault.api.Column;
import dev.tablevault.api.ColumnType;
import dev.tablevault.api.ColumnVector;
import dev.tablevault.api.ExecuteOptions;
import dev.tablevault.api.Frame;
import dev.tablevault.api.InstanceOptions;
import dev.tablevault.api.OpOptions;
import dev.tablevault.api.ProcessState;
import dev.tablevault.api.ReadOptions;
import dev.tablevault.api.RowBuilder;
import dev.tablevault.api.RowCursor;
import dev.tablevault.api.TableOptions;
import dev.tablevault.api.Vault;
import dev.tablevault.api.VaultOptions;
import dev.tablevault.api.WriteOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * {@link RowCursor#nextBatch}, in the owner and through its socket: every column type with nulls comes back a
 * stored chunk at a time, equal to what was written and to the cursor's boxed rows; {@code next} and {@code
 * nextBatch} mixed at random read every row once, in order, a batch never passing its chunk's end; batches
 * outlive the cursor; an empty instance has no batch; a partial read's batches match its {@code dataframe}.
 */
class BatchCursorTest {
    private static final int CHUNK = RowCursor.MAX_BATCH_ROWS;

    @TempDir
    Path tmp;

    private static List<Frame> batches(RowCursor c) {
        List<Frame> out = new ArrayList<>();
        while (c.hasNext()) {
            out.add(c.nextBatch());
        }
        return out;
    }

    /** The batches' rows in one frame. */
    private static Frame concat(List<Column> cols, List<Frame> batches) {
        List<ColumnVector> vectors = new ArrayList<>();
        for (int c = 0; c < cols.size(); c++) {
            ColumnVector.Builder b = ColumnVector.builder(cols.get(c).type(), 16);
            for (Frame f : batches) {
                assertThat(f.columns()).isEqualTo(cols);
                b.appendFrom(f.vector(c), 0, f.rowCount());
            }
            vectors.add(b.build());
        }
        return Frame.ofVectors(cols, vectors);
    }

    private static void assertRow(List<Object> got, Frame want, int row) {
        for (int c = 0; c < want.columnCount(); c++) {
            assertThat(Frame.valueEquals(got.get(c), want.get(row, c))).as("row " + row + " column " + c).isTrue();
        }
    }

    private Path written(Frame f) {
        Path dir = tmp.resolve("v");
        try (Vault v = TableVault.open(dir, VaultOptions.defaults().create(true))) {
            v.createTable("t", TableOptions.defaults());
            v.createInstance("t", InstanceOptions.defaults().externalEdit(true));
            v.writeInstance("t", f, WriteOptions.defaults());
        }
        return dir;
    }

    @ParameterizedTest(name = "[{index}] seed {0}")
    @ValueSource(longs = {1, 2})
    void everyTypeComesBackAChunkAtATimeHereAndThroughTheOwner(long seed) {
        Frame f = FrameVectorsTest.everyType(2 * CHUNK + 300, seed);
        Path dir = written(f);
        try (Vault owner = TableVault.open(dir, VaultOptions.defaults());
             Vault client = TableVault.open(dir, VaultOptions.defaults())) {
            for (Vault v : List.of(owner, client)) {
                List<Frame> got;
                List<List<Object>> boxed = new ArrayList<>();
                try (RowCursor c = v.rows("t", ReadOptions.latest())) {
                    got = batches(c);
                    assertThatThrownBy(c::nextBatch).isInstanceOf(NoSuchElementException.class);
                }
                try (RowCursor c = v.rows("t", ReadOptions.latest())) {
                    c.forEachRemaining(boxed::add);
                }
                // The batches are read after their cursor closed: they are the caller's.
                assertThat(got).extracting(Frame::rowCount).containsExactly(CHUNK, CHUNK, 300);
                Frame all = concat(f.columns(), got);
                assertThat(all).isEqualTo(f);
                for (int c = 0; c < f.columnCount(); c++) {
                    assertThat(all.vector(c)).isEqualTo(f.vector(c));
                    assertThat(all.vector(c).nullCount()).isEqualTo(f.vector(c).nullCount());
                }
                assertThat(boxed).hasSize(f.rowCount());
                for (int r = 0; r < f.rowCount(); r++) {
                    assertRow(boxed.get(r), all, r);
                }
            }
        }
    }

    /**
     * Seeded mixes of {@code next()}, {@code nextBatch()} and {@code nextBatch(max)}: every row once, in order, equal
     * to the boxed rows of another cursor; each batch holds {@code min(max, rows left in its stored chunk)} rows.
     */
    @ParameterizedTest(name = "[{index}] seed {0}")
    @ValueSource(longs = {11, 12, 13, 14})
    void nextAndBatchesMixedReadEveryRowOnceInOrder(long seed) {
        int rows = 2 * CHUNK + 77;
        Frame f = FrameVectorsTest.everyType(rows, seed);
        Path dir = written(f);
        try (Vault owner = TableVault.open(dir, VaultOptions.defaults());
             Vault client = TableVault.open(dir, VaultOptions.defaults())) {
            List<List<Object>> boxed = new ArrayList<>();
            try (RowCursor c = owner.rows("t", ReadOptions.latest())) {
                c.forEachRemaining(boxed::add);
            }
            for (Vault v : List.of(owner, client)) {
                Random r = new Random(seed);
                int row = 0;
                try (RowCursor c = v.rows("t", ReadOptions.latest())) {
                    while (c.hasNext()) {
                        int op = r.nextInt(4);
                        if (op == 0) {
                            List<Object> got = c.next();
                            assertRow(got, f, row);
                            for (int k = 0; k < got.size(); k++) {
                                assertThat(Frame.valueEquals(got.get(k), boxed.get(row).get(k))).isTrue();
                            }
                            row++;
                            continue;
                        }
                        int max = op == 1 ? CHUNK : new int[] {1, 3, 100, 700, 5000}[r.nextInt(5)];
                        Frame b = op == 1 ? c.nextBatch() : c.nextBatch(max);
                        int left = CHUNK - row % CHUNK;
                        assertThat(b.rowCount()).as("batch at row " + row)
                                .isEqualTo(Math.min(Math.min(max, left), rows - row));
                        for (int i = 0; i < b.rowCount(); i++) {
                            assertRow(boxed.get(row + i), b, i);
                        }
                        row += b.rowCount();
                    }
                }
                assertThat(row).isEqualTo(rows);
            }
        }
    }

    @Test
    void anEmptyInstanceHasNoBatch() {
        Path dir = tmp.resolve("v");
        try (Vault v = TableVault.open(dir, VaultOptions.defaults().create(true))) {
            v.createTable("t", TableOptions.defaults());
            v.createInstance("t", InstanceOptions.defaults());
            v.putBuilder("t", "base", BuilderSpec.fromYaml("name: t_index\ntype: index\nbuilder: range\n"
                    + "changedColumns: [id]\ntypes: {id: long}\narguments: {count: 0}\n"), OpOptions.defaults());
            v.executeInstance("t", ExecuteOptions.defaults());
        }
        try (Vault owner = TableVault.open(dir, VaultOptions.defaults());
             Vault client = TableVault.open(dir, VaultOptions.defaults())) {
            for (Vault v : List.of(owner, client)) {
                try (RowCursor c = v.rows("t", ReadOptions.latest())) {
                    assertThat(c.columns()).extracting(Column::name).containsExactly("id");
                    assertThat(c.hasNext()).isFalse();
                    assertThatThrownBy(c::nextBatch).isInstanceOf(NoSuchElementException.class);
                    assertThatThrownBy(() -> c.nextBatch(0)).isInstanceOf(IllegalArgumentException.class);
                }
            }
        }
    }

    /**
     * A paused execution's temporary instance (text committed up to row 2100, the last chunk short, nothing past
     * it): its batches hold what {@code dataframe} holds, nulls included, in the owner and through its socket,
     * with the partial read's mark.
     */
    @Test
    void aPartialReadsBatchesMatchItsDataframe() {
        Path dir = tmp.resolve("v");
        int rows = 3000;
        RowBuilder text = (ctx, row) -> {
            if (row == 2100) {
                throw new IllegalStateException("down at " + row);
            }
            return Collections.singletonList(row % 5 == 0 ? null : "x" + row);
        };
        try (Vault owner = TableVault.open(dir, VaultOptions.defaults().create(true).builder("text", text));
             Vault client = TableVault.open(dir, VaultOptions.defaults())) {
            owner.createTable("t", TableOptions.defaults());
            owner.createInstance("t", InstanceOptions.defaults());
            owner.putBuilder("t", "base", BuilderSpec.fromYaml("name: t_index\ntype: index\nbuilder: range\n"
                    + "changedColumns: [id]\ntypes: {id: long}\narguments: {count: " + rows + "}\n"),
                    OpOptions.defaults());
            owner.putBuilder("t", "base", BuilderSpec.fromYaml("name: text\ntype: column\nbuilder: text\n"
                    + "changedColumns: [text]\n"), OpOptions.defaults());
            catchThrowableOfType(() -> owner.executeInstance("t", ExecuteOptions.defaults().processId("p")
                    .checkpointRows(700)), IllegalStateException.class);
            assertThat(owner.process("p").state()).isEqualTo(ProcessState.PAUSED);
            ReadOptions temp = ReadOptions.id("TEMP_base");
            Frame here = owner.dataframe("t", temp);
            assertThat(here.isNull(2099, 1)).isFalse();
            assertThat(here.isNull(2100, 1)).isTrue();
            for (Vault v : List.of(owner, client)) {
                try (RowCursor c = v.rows("t", temp)) {
                    assertThat(c.progress()).isNotNull();
                    List<Frame> got = batches(c);
                    assertThat(got).extracting(Frame::rowCount).containsExactly(CHUNK, CHUNK, rows - 2 * CHUNK);
                    assertThat(concat(c.columns(), got)).isEqualTo(here);
                }
            }
        }
    }
}
