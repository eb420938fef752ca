package dev.tablevault.engine.store.rocks;

import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.TvStorageException;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The file {@code db/tablevault.loss}: a loss of durable writes found by an open and not yet recovered. Opening
 * the database may already change what the evidence looked like (RocksDB writes a new MANIFEST and log), so the
 * finding is written down before the open is refused, and every later open refuses until {@code recover}
 * removes it.
 */
final class PendingLoss {
    static final String FILE = "tablevault.loss";

    private PendingLoss() {
    }

    /** The recorded description, or null when no loss is pending. */
    static String read(Path dbDir) {
        try {
            return Files.readString(dbDir.resolve(FILE), StandardCharsets.UTF_8).trim();
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new TvStorageException(ErrorCode.IO, "cannot read " + dbDir.resolve(FILE) + ": " + e, e);
        }
    }

    static void write(Path dbDir, String description) throws IOException {
        Path f = dbDir.resolve(FILE);
        Files.writeString(f, description + "\n", StandardCharsets.UTF_8);
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        try (FileChannel dir = FileChannel.open(dbDir, StandardOpenOption.READ)) {
            dir.force(true);
        }
    }

    static void clear(Path dbDir) throws IOException {
        Files.deleteIfExists(dbDir.resolve(FILE));
        try (FileChannel dir = FileChannel.open(dbDir, StandardOpenOption.READ)) {
            dir.force(true);
        }
    }
}
