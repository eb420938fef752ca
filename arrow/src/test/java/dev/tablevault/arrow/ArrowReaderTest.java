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

    private static Frame longs(Object... values) {
        Frame.Builder b = Frame.builder().column("x", ColumnType.LONG);
        for (Object x : values) {
            b.row(x);
        }
        return b.build();
    }
}
