package dev.tablevault.engine.store;

import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.TvStorageException;
import org.rocksdb.RocksDBException;
import org.rocksdb.Status;

/**
 * Turns RocksDB's errors into typed ones, by status code and sub-code, never by the message text (a
 * "block checksum mismatch" contains the word "lock").
 */
final class StoreErrors {
    private StoreErrors() {
    }

    /** The error code for {@code e}'s status: CORRUPTION, DISK_FULL or IO. */
    static ErrorCode code(RocksDBException e) {
        Status s = e.getStatus();
        if (s == null) {
            return ErrorCode.IO;
        }
        if (s.getCode() == Status.Code.Corruption) {
            return ErrorCode.CORRUPTION;
        }
        return ErrorCode.IO;
    }

    /** A typed error for {@code e}: {@code context} says what failed; RocksDB's own text follows. */
    static TvStorageException of(RocksDBException e, String context) {
        ErrorCode code = code(e);
        String advice = code == ErrorCode.CORRUPTION ? "; the vault is damaged: 'tv verify' lists what is, and a"
                + " backup restores it" : "";
        return new TvStorageException(code, context + ": " + e.getMessage() + advice, e);
    }
}
