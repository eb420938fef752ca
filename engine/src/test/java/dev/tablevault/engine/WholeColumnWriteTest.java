package dev.tablevault.engine;

import dev.tablevault.api.BuilderSpec;
import dev.tablevault.api.Column;
import dev.tablevault.api.ColumnType;
import dev.tablevault.api.ColumnVector;
import dev.tablevault.api.ExecuteOptions;
import dev.tablevault.api.ExecutionListener;
import dev.tablevault.api.Frame;
import dev.tablevault.api.FrameBuilder;
import dev.tablevault.api.InstanceOptions;
import dev.tablevault.api.OpOptions;
import dev.tablevault.api.ProcessState;
import dev.tablevault.api.ReadOptions;
import dev.tablevault.api.TableOptions;
import dev.tablevault.api.Vault;
import dev.tablevault.api.VaultOptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * A whole-column builder's frame (every stored type, nulls, 3,000 rows) is written from its vectors chunk by
 * chunk: checkpoints fall after the same rows as for rows put one by one (every 700: mid-chunk), the values read
 * back as built, and an execution paused at a checkpoint mid-chunk shows the committed rows and nulls after them,
 * then resumes from the first row not committed (through the one-by-one path up to the next chunk) to the same
 * instance, checkpointing after the same rows as an uninterrupted run.
 */
@ParameterizedClass
@EnumSource(TestBackend.class)
class WholeColumnWriteTest {
    private static final int ROWS = 3000;
    private static final List<ColumnType> TYPES = List.of(ColumnType.LONG, ColumnType.DOUBLE, ColumnType.BOOLEAN,
            ColumnType.STRING, ColumnType.BYTES, ColumnType.TIMESTAMP, ColumnType.DURATION, ColumnType.OBJECT);

    @Parameter
    TestBackend backend;

    @TempDir
    Path tmp;

    static Frame frame(long seed) {
        Random r = new Random(seed);
        List<Column> cols = new ArrayList<>();
        List<ColumnVector> vectors = new ArrayList<>();
        for (ColumnType t : TYPES) {
            cols.add(new Column("c_" + t.name().toLowerCase(), t));
            ColumnVector.Builder b = ColumnVector.builder(t, ROWS);
            for (int i = 0; i < ROWS; i++) {
                b.append(r.nextInt(5) == 0 ? null : CodecTest.randomValue(t, r));
            }
            vectors.add(b.build());
        }
        return Frame.ofVectors(cols, vectors);
    }

    /** Checkpoints the listener saw for builder {@code cols}; it throws at {@code failAt} rows once. */
    static final class Seen implements ExecutionListener {
        final List<Long> rowsDone = new ArrayList<>();
        volatile long failAt = -1;

        @Override
        public void progress(String builder, int step, int steps, long done, long rows) {
            if (builder.equals("cols")) {
                rowsDone.add(done);
                if (done == failAt) {
                    failAt = -1;
                    throw new IllegalStateException("listener down at " + done);
                }
            }
        }
    }

    private static void setup(Vault v) {
        v.createTable("t", TableOptions.defaults());
        v.createInstance("t", InstanceOptions.defaults());
        v.putBuilder("t", "base", BuilderSpec.fromYaml("name: t_index\ntype: index\nbuilder: range\n"
                + "changedColumns: [id]\ntypes: {id: long}\narguments: {count: " + ROWS + "}\n"), OpOptions.defaults());
        StringBuilder types = new StringBuilder();
        StringBuilder names = new StringBuilder();
        for (ColumnType t : TYPES) {
            String n = "c_" + t.name().toLowerCase();
            names.append(names.length() == 0 ? "" : ", ").append(n);
            types.append(types.length() == 0 ? "" : ", ").append(n).append(": ").append(t.name().toLowerCase());
        }
        v.putBuilder("t", "base", BuilderSpec.fromYaml("name: cols\ntype: column\nbuilder: cols\nmode: whole-column\n"
                + "changedColumns: [" + names + "]\ntypes: {" + types + "}\ndependencies: [t_index]\n"),
                OpOptions.defaults());
    }

    private static void assertColumns(Frame got, Frame want, int committed) {
        for (int c = 0; c < want.columnCount(); c++) {
            int at = got.columnIndex(want.columns().get(c).name());
            for (int r = 0; r < ROWS; r++) {
                Object w = r < committed ? want.get(r, c) : null;
                assertThat(Frame.valueEquals(got.get(r, at), w)).as("column " + c + " row " + r).isTrue();
            }
        }
    }

    @ParameterizedTest(name = "[{index}] seed {0}")
    @ValueSource(longs = {1, 2})
    void aFrameIsWrittenChunkByChunkWithCheckpointsAfterTheSameRows(long seed) {
        Frame f = frame(seed);
        FrameBuilder cols = ctx -> f;
        Seen seen = new Seen();
        try (Vault v = backend.vault(tmp, "v").create(VaultOptions.defaults().builder("cols", cols))) {
            setup(v);
            v.executeInstance("t", ExecuteOptions.defaults().checkpointRows(700).checkpointMillis(3_600_000)
                    .listener(seen));
            assertThat(seen.rowsDone).containsExactly(700L, 1400L, 2100L, 2800L, 3000L, 3000L);
            assertColumns(v.dataframe("t", ReadOptions.latest()), f, ROWS);
        }
    }

    @ParameterizedTest(name = "[{index}] seed {0}")
    @ValueSource(longs = {3})
    void aPauseMidChunkShowsTheCommittedRowsAndResumesFromTheNext(long seed) {
        Frame f = frame(seed);
        FrameBuilder cols = ctx -> f;
        Seen seen = new Seen();
        seen.failAt = 1400;
        try (Vault v = backend.vault(tmp, "v").create(VaultOptions.defaults().builder("cols", cols)
                .listener(seen))) {
            setup(v);
            Throwable e = catchThrowable(() -> v.executeInstance("t", ExecuteOptions.defaults().processId("p")
                    .checkpointRows(700).checkpointMillis(3_600_000).listener(seen)));
            assertThat(e).hasMessageContaining("listener down at 1400");
            assertThat(v.process("p").state()).isEqualTo(ProcessState.PAUSED);
            // Row 1400 is inside chunk 1: its committed rows, then nulls to its end, and no chunk 2.
            assertColumns(v.dataframe("t", ReadOptions.id("TEMP_base")), f, 1400);
            seen.rowsDone.clear();
            v.resumeProcess("p");
            assertThat(seen.rowsDone).containsExactly(2100L, 2800L, 3000L, 3000L);
            assertColumns(v.dataframe("t", ReadOptions.latest()), f, ROWS);
        }
    }
}
