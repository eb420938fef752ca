package dev.tablevault.engine.store.rocks;

import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.TvStorageException;
import org.rocksdb.RocksDBException;
import org.rocksdb.Status;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a {@link RocksDBException} into the engine's {@link TvStorageException}, classified by RocksDB's status
 * code and sub-code (never by the wording of its message, where "block checksum" contains "lock"):
 * {@code Corruption} is {@link ErrorCode#CORRUPTION}, an I/O error with sub-code {@code NoSpace}
 * {@link ErrorCode#DISK_FULL}, everything else {@link ErrorCode#IO}. The message keeps
 * RocksDB's whole text and names the damaged file when RocksDB did.
 */
final class StoreErrors {
    /** A database file as RocksDB names it in a message: table, blob or WAL file, or a MANIFEST. */
    private static final Pattern FILE = Pattern.compile("[^\\s:;,]*(?:\\d+\\.(?:sst|blob|log)|MANIFEST-\\d+)");

    private StoreErrors() {
    }

    /** The error code for {@code e}'s status. */
    static ErrorCode code(RocksDBException e) {
        Status s = e.getStatus();
        if (s != null && s.getCode() == Status.Code.Corruption) {
            return ErrorCode.CORRUPTION;
        }
        return s != null && s.getCode() == Status.Code.IOError && s.getSubCode() == Status.SubCode.NoSpace
                ? ErrorCode.DISK_FULL : ErrorCode.IO;
    }

    /**
     * The error for {@code e}, which happened while doing {@code what} (e.g. "read in /v/db"): corruption names
     * the file and says what to do.
     */
    static TvStorageException toTv(RocksDBException e, String what) {
        String text = String.valueOf(e.getMessage());
        if (code(e) == ErrorCode.CORRUPTION) {
            Matcher m = FILE.matcher(text);
            String file = m.find() ? " in " + m.group() : "";
            return new TvStorageException(ErrorCode.CORRUPTION, what + " found corrupt data" + file + " (RocksDB: "
                    + text + "); the vault is damaged: 'tv verify' lists what is, a backup restores it", e);
        }
        if (code(e) == ErrorCode.DISK_FULL) {
            return new TvStorageException(ErrorCode.DISK_FULL, what + " failed: the disk is full (RocksDB: " + text
                    + "); free some space and try again", e);
        }
        return new TvStorageException(ErrorCode.IO, what + " failed: " + text, e);
    }
}
