package dev.tablevault.engine.store.rocks;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * Reads RocksDB's write-ahead log files on its own, to find what a point-in-time recovery would drop.
 *
 * <p>The file format is RocksDB's stable log format: 32 KiB blocks of physical records, each behind a header of
 * masked CRC-32C (4 bytes), length (2), type (1) and, in the recyclable format RocksDB writes when WAL files are
 * reused, the log number (4). A logical record (a write batch: sequence number (8), count (4), operations) is one
 * FULL record or FIRST, MIDDLE..., LAST fragments. Recovery stops at the first record that does not check out;
 * in a reused file that is normally where the old file's contents begin (their log number is not this file's).
 * The scan goes on past such a point and collects every record that does check out, with this file's log number:
 * one whose sequence number recovery did not reach was written after the damaged record, so recovery dropped it.
 *
 * <p>Stateless; reads the files once and keeps nothing open.
 */
final class WalScan {
    private static final int BLOCK = 32 * 1024;
    private static final int HEADER = 7;
    private static final int RECYCLABLE_HEADER = 11;
    private static final int FULL = 1;
    private static final int FIRST = 2;
    private static final int MIDDLE = 3;
    private static final int LAST = 4;
    private static final int RECYCLABLE_OFFSET = 4;
    private static final int IGNORABLE = 0x80;
    private static final Pattern NAME = Pattern.compile("(\\d+)\\.log");

    private WalScan() {
    }

    /** A write batch found intact in a WAL file, from its first fragment's header to its last fragment's end. */
    record Batch(Path file, long offset, long end, long sequence, int count, byte[] payload) {
        long lastSequence() {
            return sequence + count - 1;
        }
    }

    /** Where a file's records first stop checking out, and why; an end of file or old contents is not damage. */
    record Stop(Path file, long offset, String reason) {
    }

    /** Every intact batch of every WAL file in {@code dbDir}, and where each file first stopped checking out. */
    record Result(List<Batch> batches, List<Stop> stops) {
        /**
         * The batches with writes above {@code sequence}: what recovery to it dropped. Empty batches hold no
         * writes (RocksDB writes one to mark where a point-in-time recovery ended).
         */
        List<Batch> after(long sequence) {
            return batches.stream().filter(b -> b.count() > 0 && b.lastSequence() > sequence).toList();
        }
    }

    static Result scan(Path dbDir) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(dbDir)) {
            files = s.filter(f -> NAME.matcher(f.getFileName().toString()).matches())
                    .sorted(Comparator.comparingLong(WalScan::logNumber)).toList();
        }
        List<Batch> batches = new ArrayList<>();
        List<Stop> stops = new ArrayList<>();
        for (Path f : files) {
            try {
                scanFile(f, batches, stops);
            } catch (NoSuchFileException e) {
                // Deleted since the listing: an obsolete log, which recovery does not read either.
            }
        }
        return new Result(batches, stops);
    }

    static long logNumber(Path file) {
        Matcher m = NAME.matcher(file.getFileName().toString());
        return m.matches() ? Long.parseLong(m.group(1)) : -1;
    }

    private static void scanFile(Path file, List<Batch> batches, List<Stop> stops) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        int logNumber = (int) logNumber(file);
        int size = buf.limit();
        int pos = 0;
        Stop stop = null;
        ByteArrayOutputStream pending = null;
        long pendingOffset = 0;
        while (pos < size) {
            int inBlock = BLOCK - pos % BLOCK;
            if (inBlock < HEADER) {
                pos += inBlock;
                continue;
            }
            if (size - pos < HEADER) {
                stop = stop != null ? stop : new Stop(file, pos, "a record header cut off by the end of the file");
                break;
            }
            int type = buf.get(pos + 6) & 0xff;
            int length = buf.getShort(pos + 4) & 0xffff;
            if (type == 0 && length == 0) {
                // Zeroed (preallocated) space: the writer never got here.
                pos += inBlock;
                continue;
            }
            boolean recyclable = type >= FULL + RECYCLABLE_OFFSET && type <= LAST + RECYCLABLE_OFFSET;
            int header = recyclable ? RECYCLABLE_HEADER : HEADER;
            if (header > inBlock || length > inBlock - header || pos + header + length > size) {
                String why = pos + header + length > size ? "a record cut off by the end of the file"
                        : "a record length that overruns its block";
                stop = stop != null ? stop : new Stop(file, pos, why);
                pending = null;
                pos += inBlock;
                continue;
            }
            if (recyclable && buf.getInt(pos + 7) != logNumber) {
                // An older file's record left in a reused file: the end of this file's contents, unless
                // damage stopped recovery earlier and intact records of this file follow.
                stop = stop != null ? stop : new Stop(file, pos, "the end of the records (older contents follow)");
                pending = null;
                pos += header + length;
                continue;
            }
            if (!checksumOk(buf, pos, header, length, type)) {
                stop = stop != null ? stop : new Stop(file, pos, "a record whose checksum does not match");
                pending = null;
                pos += header + length;
                continue;
            }
            int kind = recyclable ? type - RECYCLABLE_OFFSET : type;
            if ((type & IGNORABLE) != 0 || kind > LAST) {
                pos += header + length;
                continue;
            }
            byte[] fragment = new byte[length];
            buf.get(pos + header, fragment);
            switch (kind) {
                case FULL -> add(batches, file, pos, pos + header + length, fragment);
                case FIRST -> {
                    pending = new ByteArrayOutputStream();
                    pending.writeBytes(fragment);
                    pendingOffset = pos;
                }
                case MIDDLE -> {
                    if (pending != null) {
                        pending.writeBytes(fragment);
                    }
                }
                case LAST -> {
                    if (pending != null) {
                        pending.writeBytes(fragment);
                        add(batches, file, pendingOffset, pos + header + length, pending.toByteArray());
                    }
                    pending = null;
                }
                default -> {
                }
            }
            pos += header + length;
        }
        if (stop != null) {
            stops.add(stop);
        }
    }

    private static void add(List<Batch> batches, Path file, long offset, long end, byte[] payload) {
        if (payload.length < 12) {
            return;
        }
        ByteBuffer b = ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN);
        batches.add(new Batch(file, offset, end, b.getLong(0), b.getInt(8), payload));
    }

    private static boolean checksumOk(ByteBuffer buf, int pos, int header, int length, int type) {
        CRC32C crc = new CRC32C();
        crc.update(type);
        crc.update(buf.array(), pos + 7, header - 7 + length);
        return mask((int) crc.getValue()) == buf.getInt(pos);
    }

    /** RocksDB stores CRCs masked, so that a CRC over data that itself holds CRCs stays well distributed. */
    private static int mask(int crc) {
        return ((crc >>> 15) | (crc << 17)) + 0xa282ead8;
    }
}
