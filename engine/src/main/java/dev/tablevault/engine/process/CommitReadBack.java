package dev.tablevault.engine.process;

import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.TableVaultException;
import dev.tablevault.api.TvStorageException;
import dev.tablevault.engine.store.Backend;
import dev.tablevault.engine.store.Batch;
import dev.tablevault.engine.store.Family;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Settles a process batch whose commit came back {@code COMMIT_UNKNOWN} (an acknowledgement lost with the connection)
 * by reading back what it wrote, never by guessing. A batch's keys and bytes are fixed before its first attempt, and
 * every batch of a process changes its record or adds a log entry at a new sequence number, so the batch was written
 * exactly when every one of its {@link Family#PROC} changes is visible: each put with identical bytes, each delete
 * absent. Written: done (its {@link Batch#onWritten} actions run). Not written: written once more, the same bytes;
 * a retry that fails is read back again (the first attempt may have landed in between, and a first batch's retry
 * then fails on its run row). Still not known: {@code COMMIT_UNKNOWN} saying so.
 *
 * <p>Stateless; one call per batch, on the process's thread.
 */
final class CommitReadBack {
    /** Reads back tried before giving up when each fails with {@code IO} (the server or network still away). */
    static final int READ_ATTEMPTS = 3;

    private CommitReadBack() {
    }

    /**
     * Writes {@code batch} of process {@code pid} to {@code store}, settling a {@code COMMIT_UNKNOWN} as above.
     *
     * @throws TableVaultException the write's own failure, or the retry's {@code PROCESS_FENCED}, or
     *         {@code COMMIT_UNKNOWN} when neither the read-backs nor the retry could tell whether it was written
     */
    static void write(Backend store, Batch batch, String pid) {
        TableVaultException unknown;
        try {
            store.write(batch);
            return;
        } catch (TableVaultException e) {
            if (e.code() != ErrorCode.COMMIT_UNKNOWN) {
                throw e;
            }
            unknown = e;
        }
        Map<ByteBuffer, byte[]> expected = expected(batch);
        if (expected.isEmpty()) {
            throw unknown; // nothing to read back: not a batch of a process
        }
        if (readBack(store, expected, pid, unknown)) {
            batch.written();
            return;
        }
        try {
            store.write(batch);
        } catch (TableVaultException retry) {
            if (readBack(store, expected, pid, retry)) {
                batch.written();
                return;
            }
            if (retry.code() == ErrorCode.PROCESS_FENCED) {
                throw retry;
            }
            throw unresolved(pid, "its retry failed too (" + retry.getMessage() + ") and reading it back again"
                    + " found it not written, but the first attempt may still land", retry);
        }
    }

    /**
     * Whether the batch was written: every expected value ({@code null}: absent) equals what was read, in order.
     * The decision, apart from the reading.
     */
    static boolean written(List<byte[]> expected, List<byte[]> found) {
        for (int i = 0; i < expected.size(); i++) {
            if (!Arrays.equals(expected.get(i), found.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** What {@code batch} leaves in {@link Family#PROC}: each key's last value, null where it deletes it. */
    static Map<ByteBuffer, byte[]> expected(Batch batch) {
        Map<ByteBuffer, byte[]> out = new LinkedHashMap<>();
        batch.forEachChange((family, key, value, rangeEnd) -> {
            if (family != Family.PROC) {
                return;
            }
            if (rangeEnd == null) {
                out.put(ByteBuffer.wrap(key), value);
                return;
            }
            for (Map.Entry<ByteBuffer, byte[]> e : out.entrySet()) {
                byte[] k = e.getKey().array();
                if (Arrays.compareUnsigned(k, key) >= 0 && Arrays.compareUnsigned(k, rangeEnd) < 0) {
                    e.setValue(null);
                }
            }
        });
        return out;
    }

    /** Reads the expected keys back in one multi-get, up to {@link #READ_ATTEMPTS} times while it fails with IO. */
    private static boolean readBack(Backend store, Map<ByteBuffer, byte[]> expected, String pid,
                                    TableVaultException cause) {
        List<byte[]> keys = new ArrayList<>(expected.size());
        expected.keySet().forEach(k -> keys.add(k.array()));
        List<byte[]> values = new ArrayList<>(expected.values());
        for (int attempt = 1; ; attempt++) {
            try {
                return written(values, store.getAll(Family.PROC, keys));
            } catch (TableVaultException e) {
                if (e.code() != ErrorCode.IO || attempt == READ_ATTEMPTS) {
                    TvStorageException u = unresolved(pid, "reading it back failed " + attempt + " times ("
                            + e.getMessage() + ")", e);
                    u.addSuppressed(cause);
                    throw u;
                }
            }
        }
    }

    private static TvStorageException unresolved(String pid, String why, Throwable cause) {
        return new TvStorageException(ErrorCode.COMMIT_UNKNOWN, "whether the last batch of process " + pid
                + " was written is unknown: its commit's acknowledgement was lost and " + why + "; this host writes"
                + " nothing more of it; once the database is reachable, reopen the vault and resume it (or call"
                + " restart(true)), which continues from whatever was written", cause);
    }
}
