package dev.tablevault.api;

import java.util.Iterator;
import java.util.List;

/**
 * Streams the rows of one instance from a consistent snapshot, holding only a chunk in memory. Not thread
 * safe. Must be closed: it pins native resources until then.
 */
public interface RowCursor extends Iterator<List<Object>>, AutoCloseable {
    /** The columns of each row, in order. */
    List<Column> columns();

    /** The instance being read. */
    String instanceId();

    /**
     * For a partial read (a temporary instance an active process is building), where that process was at the
     * checkpoint this cursor shows; null otherwise.
     */
    default InstanceProgress progress() {
        return null;
    }

    @Override
    void close();
}
