package dev.tablevault.engine;

import dev.tablevault.api.ColumnType;
import dev.tablevault.api.Durability;
import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.Frame;
import dev.tablevault.api.InstanceOptions;
import dev.tablevault.api.ReadOptions;
import dev.tablevault.api.RecoveryReport;
import dev.tablevault.api.TableOptions;
import dev.tablevault.api.TvStorageException;
import dev.tablevault.api.Vault;
import dev.tablevault.api.VaultOptions;
import dev.tablevault.api.WriteOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A damaged write-ahead log never drops durable writes quietly: the open refuses with CORRUPTION naming the
 * log file and offset, until {@link TableVault#recover} opens at the last consistent point and writes a loss
 * report; a torn tail of writes that were never durable still opens quietly.
 */
class WalLossTest {
    private static final int TABLES = 60;

    @TempDir
    Path dir;

    /** The reproduction: flip bytes in the middle of the newest log of a closed SYNC vault. */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void flippedBytesInTheLogRefuseTheOpenUntilRecovered(long seed) throws IOException {
        Path vault = dir.resolve("v");
        fill(vault, Durability.SYNC);
        Path log = newestLog(vault);
        long size = Files.size(log);
        long at = size / 4 + new Random(seed).nextInt((int) (size / 2));
        flip(log, at, 8);

        assertThatThrownBy(() -> TableVault.open(vault, VaultOptions.defaults()))
                .isInstanceOfSatisfying(TvStorageException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.CORRUPTION);
                    assertThat(e.getMessage()).contains(log.getFileName().toString(), "offset", "tv --vault",
                            "recover");
                });
        // The finding survives the refused open: again, and read-only too.
        assertThatThrownBy(() -> TableVault.open(vault, VaultOptions.defaults()))
                .isInstanceOfSatisfying(TvStorageException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.CORRUPTION));
        assertThatThrownBy(() -> TableVault.open(vault, VaultOptions.defaults().readOnly(true)))
                .isInstanceOfSatisfying(TvStorageException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.CORRUPTION));

        RecoveryReport report = TableVault.recover(vault, VaultOptions.defaults());
        assertThat(report.lost()).isTrue();
        assertThat(report.droppedBatches()).isPositive();
        assertThat(report.lostToSequence()).isGreaterThan(report.recoveredSequence());
        assertThat(report.tables()).isNotEmpty();
        assertThat(report.processes()).isNotEmpty();
        assertThat(report.description()).contains(log.getFileName().toString());
        assertThat(vault.resolve(report.reportFile())).exists();
        assertThat(Files.readString(vault.resolve(report.reportFile()))).contains("\"lost\" : true");

        try (Vault v = TableVault.open(vault, VaultOptions.defaults().restart(true))) {
            assertThat(v.verify().errors()).isEmpty();
            // What survived is a prefix: the tables before the first lost one, none after it.
            int firstLost = 0;
            while (firstLost < TABLES && v.tables().contains("t" + firstLost)) {
                firstLost++;
            }
            assertThat(firstLost).isLessThan(TABLES);
            for (int i = firstLost; i < TABLES; i++) {
                assertThat(v.tables()).as("after the first lost table t%d", firstLost).doesNotContain("t" + i);
            }
            // The report names what the dropped batches touched: the last table's creation is among them.
            assertThat(report.tables()).contains("t" + (TABLES - 1));
        }
        // Recovered once: the next recovery finds nothing, and the open is quiet.
        assertThat(TableVault.recover(vault, VaultOptions.defaults()).lost()).isFalse();
        TableVault.open(vault, VaultOptions.defaults()).close();
    }

    /** A log cut anywhere after a clean close loses synced writes: the mark shows it. */
    @ParameterizedTest
    @ValueSource(longs = {11, 12, 13, 14})
    void aTruncatedLogRefusesTheOpen(long seed) throws IOException {
        Path vault = dir.resolve("v");
        fill(vault, Durability.SYNC);
        Path log = newestLog(vault);
        long end = dataEnd(vault, log);
        long cut = new Random(seed).nextLong(end / 2, end - 1);
        try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "rw")) {
            f.setLength(cut);
        }
        assertThatThrownBy(() -> TableVault.open(vault, VaultOptions.defaults()))
                .isInstanceOfSatisfying(TvStorageException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.CORRUPTION);
                    assertThat(e.getMessage()).contains("durable", "recover");
                });
        RecoveryReport report = TableVault.recover(vault, VaultOptions.defaults());
        assertThat(report.lost()).isTrue();
        try (Vault v = TableVault.open(vault, VaultOptions.defaults().restart(true))) {
            assertThat(v.verify().errors()).isEmpty();
            assertThat(v.tables().size()).isLessThan(TABLES);
        }
    }

    /** Writes that were never promised durable (NONE) and are torn at the tail open quietly, minus the tail. */
    @Test
    void aTornTailOfUnsyncedWritesOpensQuietly() throws Exception {
        Path vault = dir.resolve("v");
        try (Vault v = TableVault.open(vault, VaultOptions.defaults().create(true))) {
            v.createTable("kept", TableOptions.defaults());
        }
        try (ChildJvm child = ChildJvm.start(WalLossChild.class, vault.toString(), "NONE", "20")) {
            child.awaitLine("DONE");
            child.kill();
        }
        Path log = newestLog(vault);
        long end = dataEnd(vault, log);
        flip(log, end - 5, 3); // the last record, as a crash in the middle of writing it leaves it
        try (Vault v = TableVault.open(vault, VaultOptions.defaults().restart(true))) {
            assertThat(v.tables()).contains("kept", "c0");
            assertThat(v.tables()).doesNotContain("c19");
            assertThat(v.verify().errors()).isEmpty();
        }
    }

    @Test
    void recoverOnAHealthyVaultChangesNothing() throws IOException {
        Path vault = dir.resolve("v");
        fill(vault, Durability.SYNC);
        RecoveryReport r = TableVault.recover(vault, VaultOptions.defaults());
        assertThat(r.lost()).isFalse();
        assertThat(r.reportFile()).isNull();
        assertThat(vault.resolve("recovery")).doesNotExist();
        try (Vault v = TableVault.open(vault, VaultOptions.defaults())) {
            assertThat(v.tables()).hasSize(TABLES + 1);
        }
    }

    /** SYNC tables t0..t59 each with a small written instance, plus "big" with 20,000 rows; closed cleanly. */
    static void fill(Path vault, Durability durability) {
        try (Vault v = TableVault.open(vault, VaultOptions.defaults().create(true).durability(durability))) {
            v.createTable("big", TableOptions.defaults());
            v.createInstance("big", InstanceOptions.defaults().version("base").externalEdit(true));
            Frame.Builder big = Frame.builder().column("id", ColumnType.LONG).column("text", ColumnType.STRING);
            for (long i = 0; i < 20_000; i++) {
                big.row(i, "row " + i);
            }
            v.writeInstance("big", big.build(), WriteOptions.defaults().version("base"));
            for (int i = 0; i < TABLES; i++) {
                v.createTable("t" + i, TableOptions.defaults());
                v.createInstance("t" + i, InstanceOptions.defaults().version("base").externalEdit(true));
                v.writeInstance("t" + i, Frame.builder().column("id", ColumnType.LONG).row((long) i).build(),
                        WriteOptions.defaults().version("base"));
            }
            assertThat(v.dataframe("t0", ReadOptions.latest()).rowCount()).isEqualTo(1);
        }
    }

    static Path newestLog(Path vault) throws IOException {
        try (Stream<Path> s = Files.list(vault.resolve("db"))) {
            return s.filter(f -> f.getFileName().toString().endsWith(".log"))
                    .max(Comparator.comparing(f -> f.getFileName().toString())).orElseThrow();
        }
    }

    /** Where the newest records of {@code log} end (a reused file holds older contents after them). */
    static long dataEnd(Path vault, Path log) throws IOException {
        return dev.tablevault.engine.store.rocks.WalProbe.dataEnd(vault.resolve("db"), log);
    }

    static void flip(Path file, long at, int bytes) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            for (int i = 0; i < bytes; i++) {
                f.seek(at + i);
                int b = f.read();
                f.seek(at + i);
                f.write(b ^ 0x5a);
            }
        }
    }
}
