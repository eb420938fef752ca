package dev.tablevault.api;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;
import java.util.Set;

/**
 * An immutable, typed, column-oriented table held in memory. Values are null or instances of their column
 * type's {@link ColumnType#javaType()}. Thread safe (immutable); {@link ColumnType#OBJECT} values are held by
 * reference, so they must not be changed once in a frame.
 */
public final class Frame {
    private final List<Column> columns;
    private final List<List<Object>> data;
    private final int rows;

    private Frame(List<Column> columns, List<List<Object>> data, int rows) {
        this.columns = columns;
        this.data = data;
        this.rows = rows;
    }

    /**
     * Builds a frame from columns and column-major values; every value list must have the same length.
     *
     * @throws IllegalArgumentException for duplicate names, ragged columns or values of the wrong type
     */
    public static Frame ofColumns(List<Column> columns, List<List<Object>> values) {
        Objects.requireNonNull(columns, "columns");
        Objects.requireNonNull(values, "values");
        if (columns.size() != values.size()) {
            throw new IllegalArgumentException(columns.size() + " columns but " + values.size() + " value lists");
        }
        Set<String> names = new HashSet<>();
        int rows = values.isEmpty() ? 0 : values.get(0).size();
        List<List<Object>> copy = new ArrayList<>(columns.size());
        for (int c = 0; c < columns.size(); c++) {
            Column col = columns.get(c);
            if (!names.add(col.name())) {
                throw new IllegalArgumentException("duplicate column name '" + col.name() + "'");
            }
            List<Object> vals = values.get(c);
            if (vals.size() != rows) {
                throw new IllegalArgumentException("column '" + col.name() + "' has " + vals.size()
                        + " values, expected " + rows);
            }
            for (int r = 0; r < rows; r++) {
                Object v = vals.get(r);
                if (!col.type().accepts(v)) {
                    throw new IllegalArgumentException("column '" + col.name() + "' row " + r + ": value of "
                            + v.getClass().getName() + " is not a " + col.type());
                }
            }
            List<Object> own = new ArrayList<>(vals.size());
            for (Object v : vals) {
                own.add(v instanceof byte[] b ? b.clone() : v);
            }
            copy.add(col.type() == ColumnType.BYTES ? new CopyingList(own) : Collections.unmodifiableList(own));
        }
        return new Frame(List.copyOf(columns), Collections.unmodifiableList(copy), rows);
    }

    /** A builder that takes rows. */
    public static Builder builder() {
        return new Builder();
    }

    public List<Column> columns() {
        return columns;
    }

    public int rowCount() {
        return rows;
    }

    public int columnCount() {
        return columns.size();
    }

    /** Index of the named column, or -1. */
    public int columnIndex(String name) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    /** The values of one column (unmodifiable). */
    public List<Object> column(int index) {
        return data.get(index);
    }

    /** The values of the named column. @throws IllegalArgumentException if there is none */
    public List<Object> column(String name) {
        int i = columnIndex(name);
        if (i < 0) {
            throw new IllegalArgumentException("no column '" + name + "' in " + columnNames());
        }
        return data.get(i);
    }

    public Object get(int row, int column) {
        return data.get(column).get(row);
    }

    /** One row as a list (a copy). */
    public List<Object> row(int row) {
        List<Object> out = new ArrayList<>(columns.size());
        for (List<Object> col : data) {
            out.add(col.get(row));
        }
        return out;
    }

    public List<String> columnNames() {
        return columns.stream().map(Column::name).toList();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Frame f) || !columns.equals(f.columns) || rows != f.rows) {
            return false;
        }
        for (int c = 0; c < columns.size(); c++) {
            for (int r = 0; r < rows; r++) {
                if (!valueEquals(get(r, c), f.get(r, c))) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Value equality that compares arrays (byte arrays, and arrays in OBJECT columns) by content. */
    public static boolean valueEquals(Object a, Object b) {
        return Objects.deepEquals(a, b);
    }

    @Override
    public int hashCode() {
        return Objects.hash(columns, rows);
    }

    @Override
    public String toString() {
        return "Frame" + columnNames() + "[" + rows + " rows]";
    }

    /** An unmodifiable view that hands out copies of byte arrays, so a caller cannot change the frame. */
    private static final class CopyingList extends AbstractList<Object> implements RandomAccess {
        private final List<Object> values;

        CopyingList(List<Object> values) {
            this.values = values;
        }

        @Override
        public Object get(int index) {
            Object v = values.get(index);
            return v instanceof byte[] b ? b.clone() : v;
        }

        @Override
        public int size() {
            return values.size();
        }
    }

    /** Collects rows; not thread safe. */
    public static final class Builder {
        private final List<Column> columns = new ArrayList<>();
        private final List<List<Object>> values = new ArrayList<>();

        private Builder() {
        }

        public Builder column(String name, ColumnType type) {
            if (!values.isEmpty() && !values.get(0).isEmpty()) {
                throw new IllegalStateException("add columns before rows");
            }
            columns.add(new Column(name, type));
            values.add(new ArrayList<>());
            return this;
        }

        public Builder row(Object... row) {
            if (row.length != columns.size()) {
                throw new IllegalArgumentException("row has " + row.length + " values, frame has "
                        + columns.size() + " columns");
            }
            for (int c = 0; c < row.length; c++) {
                values.get(c).add(row[c]);
            }
            return this;
        }

        public Frame build() {
            return ofColumns(columns, values);
        }
    }
}
