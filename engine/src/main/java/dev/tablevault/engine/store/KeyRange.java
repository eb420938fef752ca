package dev.tablevault.engine.store;

/**
 * An ordered walk over the keys of one family in {@code [from, to)}, positioned on its first key when made. Used by
 * one thread; close it (a backend may hold native handles or a server cursor).
 */
public interface KeyRange extends AutoCloseable {
    /** Whether it stands on a key; false past the last. A read error throws instead of ending the walk. */
    boolean valid();

    /** The current key; only while {@link #valid()}. */
    byte[] key();

    /** The current value; only while {@link #valid()}. */
    byte[] value();

    /** Moves to the next key. */
    void next();

    @Override
    void close();
}
