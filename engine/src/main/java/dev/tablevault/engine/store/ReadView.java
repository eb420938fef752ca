package dev.tablevault.engine.store;

import java.util.List;

/**
 * A consistent point-in-time view over every family: verify's invariants and a cursor's rows depend on all its
 * reads seeing one state. Used by one thread (its {@link #borrow() borrowed} views by others); close it promptly, as
 * a backend may pin resources for it (RocksDB: a snapshot; PostgreSQL: a transaction that holds back vacuum).
 */
public interface ReadView extends Reads, AutoCloseable {
    /**
     * A view of the same state that another thread may use and close on its own; close it before this one.
     */
    ReadView borrow();

    /** The keys of {@code family} in {@code [from, to)}, in order, as this view sees them. */
    KeyRange range(Family family, byte[] from, byte[] to);

    /** The instance keys that have cells in {@link Family#DATA}, ascending. */
    List<Long> cellInstanceKeys();

    @Override
    void close();
}
