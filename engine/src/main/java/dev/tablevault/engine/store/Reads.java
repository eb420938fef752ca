package dev.tablevault.engine.store;

import java.util.List;
import java.util.function.BiPredicate;

/**
 * Point reads and prefix scans, on the latest state ({@link Backend}) or a snapshot ({@link ReadView}). Keys are
 * visited in unsigned-byte order; a scan stops when its visitor returns false. A read error throws
 * ({@code IO} or {@code CORRUPTION}); it is never taken for the end of the data.
 */
public interface Reads {
    /** The value of {@code key}, or null when there is none. */
    byte[] get(Family family, byte[] key);

    /**
     * The values of {@code keys} in {@code family}, in the order of {@code keys}, null where there is none: one
     * batched read (PostgreSQL: one round trip) instead of one {@link #get} per key. A key may appear twice.
     */
    List<byte[]> getAll(Family family, List<byte[]> keys);

    /** Visits the keys that start with {@code prefix}, smallest first. */
    void scan(Family family, byte[] prefix, BiPredicate<byte[], byte[]> visitor);

    /** {@link #scan} from {@code from} (inclusive; a key with {@code prefix}) on. */
    void scanFrom(Family family, byte[] prefix, byte[] from, BiPredicate<byte[], byte[]> visitor);

    /** Visits the keys that start with {@code prefix}, largest first. */
    void scanBackwards(Family family, byte[] prefix, BiPredicate<byte[], byte[]> visitor);
}
