package dev.tablevault.engine.board;

import net.openhft.chronicle.hash.locks.InterProcessLock;
import net.openhft.chronicle.hash.locks.InterProcessReadWriteUpdateLock;
import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.map.ExternalMapQueryContext;
import net.openhft.chronicle.map.MapEntry;
import net.openhft.chronicle.map.MapSegmentContext;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * One board file: a persisted Chronicle Map from process id to an encoded {@link BoardEntry}, holding at most
 * {@link #ENTRIES} entries. Every lock is taken with bounded tries, never waited for: Chronicle's locks live
 * in the shared file, and one held by a killed process would block a plain call for a minute. Used by one
 * thread at a time.
 */
final class BoardFile implements AutoCloseable {
    /** The most entries one file holds; a writer publishing more drops the excess (the board is a cache). */
    static final int ENTRIES = 4096;
    /** How often a lock is tried before giving up, about 1 ms apart. */
    private static final int LOCK_TRIES = 20;

    static {
        // Chronicle reports usage to a web service unless told not to; an embedded engine must not.
        if (System.getProperty("chronicle.analytics.disable") == null) {
            System.setProperty("chronicle.analytics.disable", "true");
        }
        if (System.getProperty("chronicle.announcer.disable") == null) {
            System.setProperty("chronicle.announcer.disable", "true");
        }
    }

    /** Where a Chronicle Map file names its class in its header, and the name. */
    private static final int HEADER_NAME_AT = 13;
    private static final byte[] HEADER_NAME = "net.openhft.chronicle.map.VanillaChronicleMap"
            .getBytes(StandardCharsets.US_ASCII);

    private final ChronicleMap<String, byte[]> map;

    private BoardFile(ChronicleMap<String, byte[]> map) {
        this.map = map;
    }

    /** A new, empty file at {@code file} (one that was there is replaced). */
    static BoardFile create(Path file) throws IOException {
        Files.deleteIfExists(file);
        return new BoardFile(builder().createPersistedTo(file.toFile()));
    }

    /**
     * Opens an existing file to read it. Refuses one whose header is not a Chronicle Map's: Chronicle would wait
     * a minute for a creator to finish a header it cannot read (an empty or overwritten file).
     */
    static BoardFile open(Path file) throws IOException {
        byte[] head = new byte[HEADER_NAME_AT + HEADER_NAME.length];
        try (InputStream in = Files.newInputStream(file)) {
            if (in.readNBytes(head, 0, head.length) != head.length
                    || !Arrays.equals(head, HEADER_NAME_AT, head.length, HEADER_NAME, 0, HEADER_NAME.length)) {
                throw new IOException("not a board file (no Chronicle Map header): " + file);
            }
        }
        return new BoardFile(builder().createPersistedTo(file.toFile()));
    }

    private static net.openhft.chronicle.map.ChronicleMapBuilder<String, byte[]> builder() {
        return ChronicleMap.of(String.class, byte[].class).name("tablevault-board").entries(ENTRIES)
                .averageKey("executeInstance-0123456789abcdef").averageValueSize(240);
    }

    /** Puts or replaces one entry; false when its segment stayed locked (a killed reader or writer left it so). */
    boolean put(String key, byte[] value) {
        try (ExternalMapQueryContext<String, byte[], ?> q = map.queryContext(key)) {
            if (!tryLock(q.writeLock())) {
                return false;
            }
            MapEntry<String, byte[]> e = q.entry();
            if (e != null) {
                e.doReplaceValue(q.wrapValueAsData(value));
            } else {
                q.absentEntry().doInsert(q.wrapValueAsData(value));
            }
            return true;
        }
    }

    /** Removes one entry; false when its segment stayed locked. */
    boolean remove(String key) {
        try (ExternalMapQueryContext<String, byte[], ?> q = map.queryContext(key)) {
            if (!tryLock(q.writeLock())) {
                return false;
            }
            MapEntry<String, byte[]> e = q.entry();
            if (e != null) {
                e.doRemove();
            }
            return true;
        }
    }

    long size() {
        return map.longSize();
    }

    /** What a read found: the values, and how many segments stayed locked (their entries are missing). */
    record Read(List<byte[]> values, int lockedSegments) {
    }

    /** Every value, skipping segments whose lock stays held. */
    Read readAll() {
        List<byte[]> out = new ArrayList<>();
        int locked = 0;
        for (int s = 0; s < map.segments(); s++) {
            try (MapSegmentContext<String, byte[], ?> c = map.segmentContext(s)) {
                // Iteration takes the update lock itself (blocking); taking it first, bounded, makes that re-entrant.
                if (!tryLock(((InterProcessReadWriteUpdateLock) c).updateLock())) {
                    locked++;
                    continue;
                }
                // A fresh array per entry: get() hands out one cached array per value length, overwritten by the
                // next entry of that length.
                c.forEachSegmentEntry(e -> out.add(e.value().getUsing(null)));
            }
        }
        return new Read(out, locked);
    }

    private static boolean tryLock(InterProcessLock lock) {
        for (int i = 0; i < LOCK_TRIES; i++) {
            if (lock.tryLock()) {
                return true;
            }
            LockSupport.parkNanos(1_000_000);
        }
        return false;
    }

    @Override
    public void close() {
        map.close();
    }
}
