package dev.tablevault.engine.store.rocks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the owner of a database last published about its files: {@code CURRENT}'s content (the MANIFEST's name)
 * and that MANIFEST's size. RocksDB records every flush, compaction and file deletion in the MANIFEST before it
 * deletes a file, so a table file that a read-only reader found missing while the file set stayed the same was
 * not compacted away: it is gone.
 *
 * @param current the MANIFEST's name, or null when it could not be read (no database, or the owner switched
 *     MANIFESTs while it was read)
 */
record FileSet(String current, long manifestBytes) {
    /** How often a read-only open or check runs again while the owner changes the file set under it. */
    static final int ATTEMPTS = 30;

    /**
     * Waits a little longer after each raced attempt (20 ms more each time, at most 200 ms), so that a reader on
     * a busy machine gets a window between the owner's compactions. Returns false when interrupted (the flag is
     * set again): then the caller stops retrying.
     */
    static boolean backOff(int attempt) {
        try {
            Thread.sleep(Math.min(20L * attempt, 200L));
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static FileSet of(Path dbDir) {
        try {
            String current = Files.readString(dbDir.resolve("CURRENT")).trim();
            return new FileSet(current, Files.size(dbDir.resolve(current)));
        } catch (IOException e) {
            // Unreadable now; compared with the next reading, a change shows as inequality.
            return new FileSet(null, -1);
        }
    }
}
