package dev.tablevault.arrow;

import dev.tablevault.api.Column;
import dev.tablevault.api.ColumnType;
import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.Frame;
import dev.tablevault.api.TableVaultException;
import dev.tablevault.api.Vault;
import dev.tablevault.api.VaultOptions;
import dev.tablevault.engine.TableVault;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ArrowReaderTest {
    @TempDir
    Path tmp;
    private final BufferAllocator allocator = new RootAllocator();

    @AfterEach
    void noLeak() {
        assertThat(allocator.getAllocatedMemory()).as("Arrow memory still allocated").isZero();
        allocator.close();
    }

    @Test
    void everyTypeWithNullsReadsBackInBatchesOfTheSizeAsked() throws Exception {
        Frame f = Fixtures.everyType(2_500, 1);
        try (Vault v = Fixtures.create(tmp.resolve("v"))) {
            Fixtures.write(v, "t", f);
            try (ArrowSnapshot snap = VaultArrow.snapshot(v);
                 ArrowReader r = snap.reader("t", null, null, 1_000, allocator)) {
                List<Integer> sizes = new ArrayList<>();
                Frame back = TestFrames.read(r, sizes);
                assertThat(sizes).containsExactly(1_000, 1_000, 500);
                assertThat(back).isEqualTo(f);
                Schema s = r.getVectorSchemaRoot().getSchema();
                assertThat(s).isEqualTo(snap.schema("t", null, null));
                assertThat(s.getFields()).extracting(fl -> fl.getMetadata().get(VaultArrow.TYPE_METADATA))
                        .containsExactly("LONG", "DOUBLE", "BOOLEAN", "STRING", "BYTES", "TIMESTAMP", "DURATION",
                                "ARTIFACT");
                assertThat(s.getFields().get(5).getType().toString()).isEqualTo("Timestamp(NANOSECOND, UTC)");
            }
        }
    }

    @Test
    void chosenColumnsComeInTheOrderNamedAndOthersAreRefusedByName() throws Exception {
        Frame f = Fixtures.everyType(50, 2);
        try (Vault v = Fixtures.create(tmp.resolve("v"))) {
            String id = Fixtures.write(v, "t", f);
            try (ArrowSnapshot snap = VaultArrow.snapshot(v);
                 ArrowReader r = snap.reader("t", id, List.of("s", "l"), 7, allocator)) {
                Frame back = TestFrames.read(r, new ArrayList<>());
                assertThat(back.columns()).containsExactly(new Column("s", ColumnType.STRING),
                        new Column("l", ColumnType.LONG));
                assertThat(back.column("s")).isEqualTo(f.column("s"));
                assertThat(back.column("l")).isEqualTo(f.column("l"));
                assertThatThrownBy(() -> snap.reader("t", id, List.of("nope"), 7, allocator))
                        .isInstanceOfSatisfying(TableVaultException.class,
                                e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_ARGUMENT))
                        .hasMessageContaining("no column 'nope'").hasMessageContaining("l, d, b, s");
                assertThatThrownBy(() -> snap.reader("t", id, null, 0, allocator))
                        .hasMessageContaining("batchRows must be at least 1");
            }
        }
    }

    @Test
    void anEmptyInstanceHasItsSchemaAndNoBatch() throws Exception {
        Frame empty = Fixtures.everyType(0, 3);
        try (Vault v = Fixtures.withEmptyInstance(tmp.resolve("v"), "t", empty.columns())) {
            try (ArrowSnapshot snap = VaultArrow.snapshot(v);
                 ArrowReader r = snap.reader("t", null, null, 10, allocator)) {
                assertThat(r.loadNextBatch()).isFalse();
                assertThat(r.getVectorSchemaRoot().getRowCount()).isZero();
                assertThat(r.getVectorSchemaRoot().getSchema().getFields()).hasSize(8);
            }
        }
    }

    @Test
    void readersOfOneSnapshotSeeOneMomentAcrossTables() throws Exception {
        try (Vault v = Fixtures.create(tmp.resolve("v"))) {
            Fixtures.write(v, "a", longs(1L));
            Fixtures.write(v, "b", longs(10L));
            try (ArrowSnapshot snap = VaultArrow.snapshot(v)) {
                // Written after the snapshot: a new latest instance of both tables.
                Fixtures.write(v, "a", longs(2L));
                Fixtures.write(v, "b", longs(20L));
                try (ArrowReader a = snap.reader("a", null, null, 10, allocator);
                     ArrowReader b = snap.reader("b", null, null, 10, allocator)) {
                    assertThat(TestFrames.read(a, new ArrayList<>())).isEqualTo(longs(1L));
                    assertThat(TestFrames.read(b, new ArrayList<>())).isEqualTo(longs(10L));
                }
            }
            try (ArrowSnapshot later = VaultArrow.snapshot(v);
                 ArrowReader a = later.reader("a", null, null, 10, allocator)) {
                assertThat(TestFrames.read(a, new ArrayList<>())).isEqualTo(longs(2L));
            }
        }
    }

    @Test
    void aReadOnlyOpenReadsTheSame() throws Exception {
        Frame f = Fixtures.everyType(1_100, 4);
        Path dir = tmp.resolve("v");
        try (Vault v = Fixtures.create(dir)) {
            Fixtures.write(v, "t", f);
        }
        try (Vault ro = TableVault.open(dir, VaultOptions.defaults().readOnly(true));
             ArrowSnapshot snap = VaultArrow.snapshot(ro);
             ArrowReader r = snap.reader("t", null, null, 4_096, allocator)) {
            assertThat(TestFrames.read(r, new ArrayList<>())).isEqualTo(f);
        }
    }

    @Test
    void aVaultReachedThroughItsOwnerReadsTheSameAndKeepsItsFirstPick() throws Exception {
        Frame f = Fixtures.everyType(1_500, 5);
        Path dir = tmp.resolve("v");
        try (Vault owner = Fixtures.create(dir); Vault client = TableVault.open(dir, VaultOptions.defaults())) {
            assertThat(client.getClass().getSimpleName()).isEqualTo("RemoteVault");
            Fixtures.write(owner, "t", f);
            Fixtures.write(owner, "a", longs(1L));
            try (ArrowSnapshot snap = VaultArrow.snapshot(client)) {
                try (ArrowReader r = snap.reader("t", null, null, 700, allocator)) {
                    List<Integer> sizes = new ArrayList<>();
                    assertThat(TestFrames.read(r, sizes)).isEqualTo(f);
                    assertThat(sizes).containsExactly(700, 700, 100);
                }
                assertThat(snap.rowCount("a", null)).isEqualTo(1);
                Fixtures.write(owner, "a", longs(2L, 3L));
                try (ArrowReader a = snap.reader("a", null, null, 10, allocator)) {
                    assertThat(TestFrames.read(a, new ArrayList<>())).isEqualTo(longs(1L));
                }
            }
        }
    }

    @Test
    void arrowMemoryHoldsOneBatchWhateverTheRows() throws Exception {
        Frame.Builder b = Frame.builder().column("id", ColumnType.LONG).column("s", ColumnType.STRING);
        for (long i = 0; i < 60_000; i++) {
            b.row(i, "row number " + i);
        }
        try (Vault v = Fixtures.create(tmp.resolve("v"))) {
            Fixtures.write(v, "t", b.build());
            try (BufferAllocator child = allocator.newChildAllocator("reader", 0, Long.MAX_VALUE);
                 ArrowSnapshot snap = VaultArrow.snapshot(v);
                 ArrowReader r = snap.reader("t", null, null, 1_000, child)) {
                long rows = 0;
                while (r.loadNextBatch()) {
                    rows += r.getVectorSchemaRoot().getRowCount();
                }
                assertThat(rows).isEqualTo(60_000);
                // The whole instance is about 1.7 MB in Arrow form; a batch of 1,000 rows about 40 KB.
                assertThat(child.getPeakMemoryAllocation()).isLessThan(200_000);
            }
        }
    }

    @Test
    void objectColumnsAreRefusedNamingTheColumnAndTheOthersRead() throws Exception {
        Frame f = Frame.builder().column("id", ColumnType.LONG).column("obj", ColumnType.OBJECT)
                .row(1L, List.of("x")).build();
        try (Vault v = Fixtures.create(tmp.resolve("v"))) {
            Fixtures.write(v, "t", f);
            try (ArrowSnapshot snap = VaultArrow.snapshot(v)) {
                assertThatThrownBy(() -> snap.reader("t", null, null, 10, allocator))
                        .isInstanceOfSatisfying(TableVaultException.class,
                                e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_ARGUMENT))
                        .hasMessageContaining("column 'obj' is an OBJECT column").hasMessageContaining("--columns");
                try (ArrowReader r = snap.reader("t", null, List.of("id"), 10, allocator)) {
                    assertThat(TestFrames.read(r, new ArrayList<>()).column("id")).containsExactly(1L);
                }
            }
        }
    }

    @Test
    void aTimeBeyondNanosecondRangeIsATypedErrorNamingColumnAndRow() throws Exception {
        Frame.Builder b = Frame.builder().column("t", ColumnType.TIMESTAMP);
        for (int i = 0; i < 1_500; i++) {
            b.row(i == 1_234 ? Instant.parse("2300-01-01T00:00:00Z") : Instant.EPOCH);
        }
        try (Vault v = Fixtures.create(tmp.resolve("v"))) {
            Fixtures.write(v, "t", b.build());
            try (ArrowSnapshot snap = VaultArrow.snapshot(v);
                 ArrowReader r = snap.reader("t", null, null, 100, allocator)) {
                assertThatThrownBy(() -> TestFrames.read(r, new ArrayList<>()))
                        .isInstanceOfSatisfying(TableVaultException.class,
                                e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_ARGUMENT))
                        .hasMessageContaining("column 't' row 1234").hasMessageContaining("2300-01-01T00:00:00Z");
            }
        }
    }

    @Test
    void aMissingTableIsNotFound() {
        try (Vault v = Fixtures.create(tmp.resolve("v")); ArrowSnapshot snap = VaultArrow.snapshot(v)) {
            assertThatThrownBy(() -> snap.reader("nope", null, null, 10, allocator))
                    .isInstanceOfSatisfying(TableVaultException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
        }
    }

    @Test
    void aBatchHandedOnStaysIntactWhileTheNextLoads() throws Exception {
        try (Vault v = Fixtures.create(tmp.resolve("v"))) {
            Fixtures.write(v, "a", longs(1L, 2L, 3L, 4L));
            try (ArrowSnapshot snap = VaultArrow.snapshot(v);
                 ArrowReader r = snap.reader("a", null, null, 2, allocator)) {
                assertThat(r.loadNextBatch()).isTrue();
                // What a consumer behind Arrow's C interface (DuckDB) does: keep the buffers it was handed.
                ArrowBuf data = r.getVectorSchemaRoot().getVector(0).getDataBuffer();
                ArrowBuf validity = r.getVectorSchemaRoot().getVector(0).getValidityBuffer();
                data.getReferenceManager().retain();
                validity.getReferenceManager().retain();
                assertThat(r.loadNextBatch()).isTrue();
                assertThat(new long[] {data.getLong(0), data.getLong(8)}).containsExactly(1L, 2L);
                assertThat(validity.getByte(0) & 3).isEqualTo(3);
                data.getReferenceManager().release();
                validity.getReferenceManager().release();
            }
        }
    }

    @Test
    void closingTheSnapshotClosesItsReaders() throws Exception {
        try (Vault v = Fixtures.create(tmp.resolve("v"))) {
            Fixtures.write(v, "a", longs(1L, 2L));
            ArrowSnapshot snap = VaultArrow.snapshot(v);
            ArrowReader r = snap.reader("a", null, null, 1, allocator);
            assertThat(r.loadNextBatch()).isTrue();
            snap.close();
            // noLeak checks the reader's buffers were freed
        }
    }

    /** The stored chunk path (a vault opened here) and the batch cursor path (through its owner) give equal batches. */
    @ParameterizedTest
    @CsvSource({"11, 1", "12, 1023", "13, 1025", "14, 5000"})
    void storedChunksAndRemoteBatchesReadTheSameForEveryTypeWithNulls(long seed, int batchRows) throws Exception {
        Frame f = Fixtures.everyType(3_100, seed);
        Path dir = tmp.resolve("v");
        try (Vault owner = Fixtures.create(dir); Vault client = TableVault.open(dir, VaultOptions.defaults())) {
            Fixtures.write(owner, "t", f);
            List<Integer> typedSizes = new ArrayList<>();
            List<Integer> boxedSizes = new ArrayList<>();
            Frame typed;
            Frame boxed;
            try (ArrowSnapshot snap = VaultArrow.snapshot(owner);
                 ArrowReader r = snap.reader("t", null, null, batchRows, allocator)) {
                typed = TestFrames.read(r, typedSizes);
            }
            try (ArrowSnapshot snap = VaultArrow.snapshot(client);
                 ArrowReader r = snap.reader("t", null, null, batchRows, allocator)) {
                boxed = TestFrames.read(r, boxedSizes);
            }
            assertThat(typed).isEqualTo(boxed).isEqualTo(f);
            assertThat(typedSizes).isEqualTo(boxedSizes);
        }
    }

    /** A lone surrogate in a stored chunk is refused (UTF-8 cannot hold it), naming the row and its index. */
    @ParameterizedTest
    @CsvSource({"'ab\uD800c', 2", "'\uDC00', 0", "'x\uD83D\uDE00\uD83D', 3"})
    void aLoneSurrogateIsATypedErrorNamingColumnRowAndIndex(String bad, int index) throws Exception {
        Frame.Builder b = Frame.builder().column("id", ColumnType.LONG).column("s", ColumnType.STRING);
        for (int i = 0; i < 1_500; i++) {
            b.row((long) i, i == 1_100 ? bad : i % 7 == 0 ? null : "ok \uD83D\uDE00");
        }
        try (Vault v = Fixtures.create(tmp.resolve("v"))) {
            Fixtures.write(v, "t", b.build());
            try (ArrowSnapshot snap = VaultArrow.snapshot(v)) {
                try (ArrowReader r = snap.reader("t", null, null, 1_000, allocator)) {
                    List<Integer> sizes = new ArrayList<>();
                    assertThatThrownBy(() -> TestFrames.read(r, sizes))
                            .isInstanceOfSatisfying(TableVaultException.class,
                                    e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_ARGUMENT))
                            .hasMessageContaining("column 's' row 1100")
                            .hasMessageContaining("lone UTF-16 surrogate at index " + index);
                    assertThat(sizes).containsExactly(1_000);
                }
                try (ArrowReader r = snap.reader("t", null, List.of("id"), 1_000, allocator)) {
                    assertThat(TestFrames.read(r, new ArrayList<>()).rowCount()).isEqualTo(1_500);
                }
            }
        }
    }

    private static Frame longs(Object... values) {
        Frame.Builder b = Frame.builder().column("x", ColumnType.LONG);
        for (Object x : values) {
            b.row(x);
        }
        return b.build();
    }
}
