package dev.tablevault.engine.store.rocks;

import dev.tablevault.api.Durability;
import dev.tablevault.engine.store.Batch;
import dev.tablevault.engine.store.Family;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** What opening a database leaves behind and how it opens its table files (PV5). */
class OpenCostTest {
    @TempDir
    Path tmp;

    /**
     * Every read-write open starts a new WAL file and replays the old ones without flushing them, so a vault
     * opened again and again without writing enough to fill the WAL kept one more file per open (and replayed
     * them all). A background flush once too many are there keeps the count bounded; the data stays.
     */
    @Test
    void reopeningDoesNotPileUpWalFiles() throws IOException {
        Path db = tmp.resolve("db");
        byte[] key = "k".getBytes(StandardCharsets.UTF_8);
        try (RocksBackend s = open(db, true)) {
            Batch b = new Batch();
            b.put(Family.META, key, key);
            s.write(b);
        }
        long most = 0;
        for (int i = 0; i < 3 * Opener.WAL_FILES_BEFORE_FLUSH; i++) {
            open(db, false).close();
            most = Math.max(most, walFiles(db));
        }
        assertThat(most).as("WAL files in db/ after any of the reopens")
                .isLessThanOrEqualTo(Opener.WAL_FILES_BEFORE_FLUSH + 2);
        try (RocksBackend s = open(db, false)) {
            assertThat(s.get(Family.META, key)).isEqualTo(key);
        }
    }

    /** A small database opens its table files on one thread; a large one on more (up to RocksDB's default, 16). */
    @Test
    void tableFilesOpenOnOneThreadUnlessThereAreMany() throws IOException {
        Files.createDirectories(tmp);
        assertThat(Opener.fileOpeningThreads(tmp)).isEqualTo(1);
        for (int i = 0; i < 3 * Opener.TABLE_FILES_PER_THREAD; i++) {
            Files.createFile(tmp.resolve(String.format("%06d.sst", i)));
        }
        assertThat(Opener.fileOpeningThreads(tmp)).isEqualTo(3);
    }

    private static RocksBackend open(Path db, boolean create) {
        return RocksBackend.open(db, new RocksBackend.Opening(create, false, Durability.SYNC, 5, "test", false, false));
    }

    private static long walFiles(Path db) throws IOException {
        try (Stream<Path> s = Files.list(db)) {
            return s.filter(f -> f.getFileName().toString().endsWith(".log")).count();
        }
    }
}
