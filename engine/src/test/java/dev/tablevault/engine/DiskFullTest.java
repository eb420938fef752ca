package dev.tablevault.engine;

import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.TvStorageException;
import dev.tablevault.engine.store.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** A full disk. */
class DiskFullTest {
    @TempDir
    Path tmp;

    @Test
    void onlyNoSpaceIsDiskFull() {
        Path vault = tmp.resolve("v");
        TvStorageException full = Store.fileFailure(vault, "cannot write " + vault.resolve("owner"),
                new FileSystemException(vault.resolve("owner").toString(), null, "No space left on device"));
        assertThat(full.code()).isEqualTo(ErrorCode.DISK_FULL);
        assertThat(full.getMessage()).contains("vault " + vault, "out of disk space", "owner", "free space");
        assertThat(Store.fileFailure(vault, "w", new IOException("No space left on device")).code())
                .isEqualTo(ErrorCode.DISK_FULL);
        assertThat(Store.fileFailure(vault, "w", new FileSystemException("f", null, "Permission denied")).code())
                .isEqualTo(ErrorCode.IO);
        assertThat(Store.fileFailure(vault, "w", new IOException("Input/output error")).code())
                .isEqualTo(ErrorCode.IO);
    }
}
