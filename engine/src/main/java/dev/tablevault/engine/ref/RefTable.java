package dev.tablevault.engine.ref;

import dev.tablevault.api.Column;

import java.util.List;

/** The data a reference reads: one instance's columns. Implementations are thread safe and immutable in content. */
public interface RefTable {
    List<Column> columns();

    long rows();

    /** The value at {@code column} (an index into {@link #columns()}) and {@code row}; null allowed. */
    Object value(int column, long row);
}
