package dev.tablevault.engine.store.rocks;

import dev.tablevault.api.Durability;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * The file {@code db/tablevault.mark}: the highest sequence number known to be durable, the durability the
 * writer used, and whether the database was closed cleanly at exactly that sequence number.
 *
 * <p>It exists because the write-ahead log alone cannot show that records were lost: a log cut at a record
 * boundary, or a MANIFEST that lost its last edits, recovers quietly to an earlier point. A recovery that ends
 * below the mark lost writes that were synced. The owner writes the mark when it opens (not clean), about once a
 * second while it writes (SYNC: every write returned was synced; GROUPED: after each WAL sync), and when it
 * closes (clean). Two 32-byte slots are written in turn, each with its own CRC-32C, so a write torn by a crash
 * leaves the other slot readable.
 *
 * <p>Not thread safe: the owning {@link RocksBackend} writes it from one thread at a time.
 */
final class DurableMark {
    static final String FILE = "tablevault.mark";
    private static final int MAGIC = 0x54564d4b;
    private static final int SLOT = 32;

    /** A mark as read back. */
    record State(long counter, long sequence, boolean clean, Durability durability) {
    }

    private final Path file;
    private long counter;

    private DurableMark(Path file, long counter) {
        this.file = file;
        this.counter = counter;
    }

    /** The mark in {@code dbDir}, or null when there is none or neither slot checks out. */
    static State read(Path dbDir) {
        Path f = dbDir.resolve(FILE);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(f);
        } catch (IOException e) {
            return null;
        }
        State best = null;
        for (int slot = 0; slot + SLOT <= bytes.length && slot < 2 * SLOT; slot += SLOT) {
            State s = decode(ByteBuffer.wrap(bytes, slot, SLOT).slice());
            if (s != null && (best == null || s.counter() > best.counter())) {
                best = s;
            }
        }
        return best;
    }

    /** A writer continuing after the mark {@code previous} (null: none yet). */
    static DurableMark writer(Path dbDir, State previous) {
        return new DurableMark(dbDir.resolve(FILE), previous == null ? 0 : previous.counter());
    }

    /** Writes and fsyncs the mark; creating the file also fsyncs the folder. */
    void write(long sequence, boolean clean, Durability durability) throws IOException {
        boolean created = !Files.exists(file);
        counter++;
        ByteBuffer b = ByteBuffer.allocate(SLOT);
        b.putInt(MAGIC).putLong(counter).putLong(sequence).putInt((clean ? 1 : 0) | durability.ordinal() << 8);
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, 24);
        b.putInt((int) crc.getValue());
        b.clear(); // the whole slot, so that a file whose last slot was written reads as two
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            ch.write(b, (counter % 2) * SLOT);
            ch.force(false);
        }
        if (created) {
            try (FileChannel dir = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
                dir.force(true);
            }
        }
    }

    private static State decode(ByteBuffer b) {
        CRC32C crc = new CRC32C();
        byte[] head = new byte[24];
        b.get(0, head);
        crc.update(head);
        if (b.getInt(0) != MAGIC || b.getInt(24) != (int) crc.getValue()) {
            return null;
        }
        int flags = b.getInt(20);
        int durability = flags >>> 8;
        if (durability >= Durability.values().length) {
            return null;
        }
        return new State(b.getLong(4), b.getLong(12), (flags & 1) != 0, Durability.values()[durability]);
    }
}
