package dev.tablevault.engine.store.rocks;

import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.TvStorageException;
import org.rocksdb.RocksDBException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A store's handling of a full disk: the wait for RocksDB to resume once enough space is free, and failed
 * writes as {@link ErrorCode#DISK_FULL} or {@link ErrorCode#IO} errors that say what to do.
 */
final class DiskSpace {
    private static final Logger LOG = LoggerFactory.getLogger(DiskSpace.class);
    /** How long a commit waits for RocksDB to resume once enough space is free: two of its 5 s checks. */
    private static final long RESUME_WAIT_MILLIS = 10_000;

    private final Path dir;
    private final NoSpaceWatch noSpace;
    /**
     * The free bytes RocksDB wants before it resumes writing after a full disk: its largest memtable
     * ({@code write_buffer_size}), which the flush that resumes it may have to write.
     */
    private final long resumeSpace;

    DiskSpace(Path dir, NoSpaceWatch noSpace, long resumeSpace) {
        this.dir = dir;
        this.noSpace = noSpace;
        this.resumeSpace = resumeSpace;
    }

    /** How many times RocksDB has resumed writing so far; pass it to {@link #writeFailed}. */
    long resumptions() {
        return noSpace.resumptions();
    }

    /**
     * After a full disk, waits for RocksDB to resume writing, but only once {@link #resumeSpace} bytes are
     * free: the call after the user freed space then succeeds instead of failing with the stale error, while
     * calls on a disk still full fail at once. An interrupt ends the wait (the flag stays set).
     */
    void awaitResumed() {
        if (!noSpace.stopped() || freeBytes() < resumeSpace) {
            return;
        }
        try {
            noSpace.awaitResumed(RESUME_WAIT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private long freeBytes() {
        try {
            return Files.getFileStore(dir).getUsableSpace();
        } catch (IOException e) {
            // Unknown: do not wait; the write reports whatever state RocksDB is in.
            LOG.warn("cannot read the free space of {}: {}", dir, e.toString());
            return 0;
        }
    }

    /**
     * A commit that failed after {@code resumptions} resumptions, as the caller's error; a failure for want of
     * space also records that RocksDB stopped writing.
     */
    TvStorageException writeFailed(String what, long resumptions, RocksDBException e) {
        if (StoreErrors.code(e) == ErrorCode.DISK_FULL) {
            // With paranoid checks (the default), a write failing for want of space stops RocksDB's writes.
            noSpace.stopped(resumptions);
        }
        return failure(what, e);
    }

    /**
     * A failed write as the caller's error, classified by RocksDB's status (never its message): no space is
     * {@link ErrorCode#DISK_FULL}, anything else {@link ErrorCode#IO}.
     */
    TvStorageException failure(String what, RocksDBException e) {
        if (StoreErrors.code(e) == ErrorCode.DISK_FULL) {
            return new TvStorageException(ErrorCode.DISK_FULL, "vault " + dir.getParent() + " is out of disk space ("
                    + what + ": " + e.getMessage() + "): free at least " + (resumeSpace >> 20) + " MiB on its file"
                    + " system; this open vault then resumes writing by itself (no reopen needed), so retry the"
                    + " call, or resume its paused process with the same call or resumeProcess. If writes still"
                    + " fail once the space is free, close and reopen the vault", e);
        }
        return StoreErrors.toTv(e, what + " in " + dir);
    }

    void close() {
        noSpace.close();
    }
}
