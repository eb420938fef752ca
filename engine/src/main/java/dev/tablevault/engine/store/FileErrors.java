package dev.tablevault.engine.store;

import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.TvStorageException;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;

/** Failed writes of the files a vault keeps beside its backend's data: artifacts, the owner file, staging files. */
public final class FileErrors {
    private FileErrors() {
    }

    /**
     * A failed file write in the vault at {@code vault}: {@link ErrorCode#DISK_FULL} when the file system reported
     * ENOSPC, else {@link ErrorCode#IO}. Java gives no error number, so ENOSPC is recognized by its text, the reason
     * of a {@link FileSystemException} or the message of a plain write's {@link IOException} (the C library's English
     * text).
     */
    public static TvStorageException fileFailure(Path vault, String what, IOException e) {
        String reason = e instanceof FileSystemException f ? f.getReason() : e.getMessage();
        if ("No space left on device".equals(reason)) {
            return new TvStorageException(ErrorCode.DISK_FULL, "vault " + vault + " is out of disk space: " + what
                    + " (" + e + "): free space on its file system, then retry the call, or resume its paused"
                    + " process with the same call or resumeProcess", e);
        }
        return new TvStorageException(ErrorCode.IO, what + ": " + e, e);
    }
}
