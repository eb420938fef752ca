package dev.tablevault.engine.store.rocks;

import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.TvStorageException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.RocksDBException;
import org.rocksdb.Status;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class LockRefusalTest {
    @TempDir
    Path tmp;

    /**
     * An owner that closes between RocksDB's refusal and the look at the kernel's lock table leaves no holder to
     * find; the open must still say VAULT_LOCKED, which a client taking over retries, and not IO, which it
     * reports (SharedVaultTest saw this under load).
     */
    @Test
    void aLockRefusedByAHolderThatHasSinceLetGoIsVaultLocked() throws Exception {
        Path db = Files.createDirectories(tmp.resolve("v").resolve("db"));
        Files.createFile(db.resolve("LOCK"));
        String message = "While lock file: " + db.resolve("LOCK") + ": Resource temporarily unavailable";
        RocksDBException e = new RocksDBException(message, new Status(Status.Code.IOError, Status.SubCode.None,
                message));

        TvStorageException t = OpenErrors.of(e, db, "an OS process that has exited", false);

        assertThat(t.code()).isEqualTo(ErrorCode.VAULT_LOCKED);
        assertThat(t.getMessage()).contains("another OS process, which has just let go");
    }

    @Test
    void anotherIoErrorStaysIo() throws Exception {
        Path db = Files.createDirectories(tmp.resolve("v").resolve("db"));
        String message = "While open a file for lock: " + db.resolve("LOCK") + ": Permission denied";
        RocksDBException e = new RocksDBException(message, new Status(Status.Code.IOError, Status.SubCode.None,
                message));

        assertThat(OpenErrors.of(e, db, "nobody", false).code()).isEqualTo(ErrorCode.IO);
    }
}
