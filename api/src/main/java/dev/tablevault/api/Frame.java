package dev.tablevault.api;

import java.time.Duration;
import java.time.Instant;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;
import java.util.Set;

/**
 * An immutable, typed, column-oriented table held in memory: one {@link ColumnVector} per column, so values are
 * stored without boxing. Values are null or instances of their column type's {@link ColumnType#javaType()};
 * the {@code Object} accessors box on each call, the typed ones ({@link #getLong}, {@link #isNull}, ...) do not.
 * Thread safe (immutable); {@link ColumnType#OBJECT} values are held by reference, so they must not be changed
 * once in a frame.
 */
public final class Frame {
    private final List<Column> columns;
    private final List<ColumnVector> vectors;
    private final int rows;

    private Frame(List<Column> columns, List<ColumnVector> vectors, int rows) {
        this.columns = columns;
        this.vectors = vectors;
        this.rows = rows;
    }

    /**
     * Builds a frame from columns and column-major values (copied into vectors); every value list must have the
     * same length.
     *
     * @throws IllegalArgumentException for duplicate names, ragged columns or values of the wrong type
     */
    public static Frame ofColumns(List<Column> columns, List<List<Object>> values) {
        Objects.requireNonNull(columns, "columns");
        Objects.requireNonNull(values, "values");
        if (columns.size() != values.size()) {
            throw new IllegalArgumentException(columns.size() + " columns but " + values.size() + " value lists");
        }
        checkNames(columns);
        int rows = values.isEmpty() ? 0 : values.get(0).size();
        List<ColumnVector> vectors = new ArrayList<>(columns.size());
        for (int c = 0; c < columns.size(); c++) {
            Column col = columns.get(c);
            List<Object> vals = values.get(c);
            if (vals.size() != rows) {
                throw new IllegalArgumentException("column '" + col.name() + "' has " + vals.size()
                        + " values, expected " + rows);
            }
            ColumnVector.Builder b = ColumnVector.builder(col.type(), rows);
            for (int r = 0; r < rows; r++) {
                Object v = vals.get(r);
                if (!col.type().accepts(v)) {
                    throw new IllegalArgumentException("column '" + col.name() + "' row " + r + ": value of "
                            + v.getClass().getName() + " is not a " + col.type());
                }
                b.append(v);
            }
            vectors.add(b.build());
        }
        return new Frame(List.copyOf(columns), List.copyOf(vectors), rows);
    }

    /**
     * Builds a frame from columns and their vectors (held, not copied: vectors are immutable); every vector must
     * have its column's type and the same size.
     *
     * @throws IllegalArgumentException for duplicate names, a vector of another type or size
     */
    public static Frame ofVectors(List<Column> columns, List<ColumnVector> vectors) {
        Objects.requireNonNull(columns, "columns");
        Objects.requireNonNull(vectors, "vectors");
        if (columns.size() != vectors.size()) {
            throw new IllegalArgumentException(columns.size() + " columns but " + vectors.size() + " vectors");
        }
        checkNames(columns);
        int rows = vectors.isEmpty() ? 0 : vectors.get(0).size();
        for (int c = 0; c < columns.size(); c++) {
            Column col = columns.get(c);
            ColumnVector v = Objects.requireNonNull(vectors.get(c), "vector of column '" + col.name() + "'");
            if (v.type() != col.type()) {
                throw new IllegalArgumentException("column '" + col.name() + "' is " + col.type()
                        + " but its vector is " + v.type());
            }
            if (v.size() != rows) {
                throw new IllegalArgumentException("column '" + col.name() + "' has " + v.size()
                        + " values, expected " + rows);
            }
        }
        return new Frame(List.copyOf(columns), List.copyOf(vectors), rows);
    }

    private static void checkNames(List<Column> columns) {
        Set<String> names = new HashSet<>();
        for (Column col : columns) {
            if (!names.add(col.name())) {
                throw new IllegalArgumentException("duplicate column name '" + col.name() + "'");
            }
        }
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

    /** The vector of one column. */
    public ColumnVector vector(int column) {
        return vectors.get(column);
    }

    /**
     * The values of one column: an unmodifiable view that boxes each value as it is read (byte arrays are
     * copies, so a caller cannot change the frame).
     */
    public List<Object> column(int index) {
        return new Boxed(vectors.get(index));
    }

    /** The values of the named column. @throws IllegalArgumentException if there is none */
    public List<Object> column(String name) {
        int i = columnIndex(name);
        if (i < 0) {
            throw new IllegalArgumentException("no column '" + name + "' in " + columnNames());
        }
        return column(i);
    }

    public Object get(int row, int column) {
        return vectors.get(column).get(row);
    }

    public boolean isNull(int row, int column) {
        return vectors.get(column).isNull(row);
    }

    /** See {@link ColumnVector#getLong}: 0 on a null row. */
    public long getLong(int row, int column) {
        return vectors.get(column).getLong(row);
    }

    public double getDouble(int row, int column) {
        return vectors.get(column).getDouble(row);
    }

    public boolean getBoolean(int row, int column) {
        return vectors.get(column).getBoolean(row);
    }

    public String getString(int row, int column) {
        return vectors.get(column).getString(row);
    }

    /** A copy of the bytes, or null. */
    public byte[] getBytes(int row, int column) {
        return vectors.get(column).getBytes(row);
    }

    public Instant getTimestamp(int row, int column) {
        return vectors.get(column).getTimestamp(row);
    }

    public Duration getDuration(int row, int column) {
        return vectors.get(column).getDuration(row);
    }

    /** One row as a list (a copy). */
    public List<Object> row(int row) {
        List<Object> out = new ArrayList<>(columns.size());
        for (ColumnVector v : vectors) {
            out.add(v.get(row));
        }
        return out;
    }

    public List<String> columnNames() {
        return columns.stream().map(Column::name).toList();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Frame f && columns.equals(f.columns) && rows == f.rows && vectors.equals(f.vectors);
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

    /** A column's values, boxed on each read. */
    private static final class Boxed extends AbstractList<Object> implements RandomAccess {
        private final ColumnVector vector;

        Boxed(ColumnVector vector) {
            this.vector = vector;
        }

        @Override
        public Object get(int index) {
            return vector.get(index);
        }

        @Override
        public int size() {
            return vector.size();
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
