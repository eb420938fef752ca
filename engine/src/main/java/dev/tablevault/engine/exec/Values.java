package dev.tablevault.engine.exec;

import dev.tablevault.api.Column;
import dev.tablevault.api.ColumnType;
import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.Frame;
import dev.tablevault.api.TvBuilderException;
import dev.tablevault.engine.store.Chunks;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Checks a builder's row against its declared columns, widening int-like and float values; an OBJECT value must
 * write and read back through Kryo. Stateless. Public for builder code run in a calling OS process, which checks
 * its rows before they travel.
 */
public final class Values {
    private Values() {
    }

    static List<Object> check(Spec spec, long row, List<Object> values) {
        return check(spec.name(), spec.columns(), row, values);
    }

    /**
     * Row {@code row} of builder {@code name} with columns {@code cols}, checked and widened: {@code values} itself
     * when nothing was widened (callers copy the values out at once), else a new list.
     */
    public static List<Object> check(String name, List<Column> cols, long row, List<Object> values) {
        if (values == null || values.size() != cols.size()) {
            throw new TvBuilderException(ErrorCode.BAD_BUILDER, "builder '" + name + "' returned "
                    + (values == null ? "null" : values.size() + " values") + " for row " + row + "; its"
                    + " changedColumns are " + cols.stream().map(Column::name).toList());
        }
        List<Object> out = null; // made once a value is widened; until then the row is returned as it came
        for (int i = 0; i < cols.size(); i++) {
            Object given = values.get(i);
            Object v = widen(cols.get(i).type(), given);
            if (!cols.get(i).type().accepts(v)) {
                throw new TvBuilderException(ErrorCode.BAD_BUILDER, "builder '" + name + "' returned a "
                        + v.getClass().getName() + " for column '" + cols.get(i).name() + "' (" + cols.get(i).type()
                        + ") at row " + row + "; declare its type under 'types' or return a "
                        + cols.get(i).type().javaType().getSimpleName());
            }
            if (v != null && cols.get(i).type() == ColumnType.OBJECT) {
                checkObject(name, cols.get(i), row, v);
            }
            if (v != given && out == null) {
                out = new ArrayList<>(values.subList(0, i));
            }
            if (out != null) {
                out.add(v);
            }
        }
        return out == null ? values : out;
    }

    /** Rows {@code [from, to)} of a frame with builder {@code spec}'s columns: its OBJECT values, as {@link #check}. */
    static void checkObjects(Spec spec, Frame f, int from, int to) {
        for (int c = 0; c < f.columnCount(); c++) {
            if (f.columns().get(c).type() != ColumnType.OBJECT) {
                continue;
            }
            for (int r = from; r < to; r++) {
                Object v = f.vector(c).getObject(r);
                if (v != null) {
                    checkObject(spec.name(), f.columns().get(c), r, v);
                }
            }
        }
    }

    private static void checkObject(String name, Column col, long row, Object v) {
        Optional<String> why = Chunks.objectProblem(v);
        if (why.isPresent()) {
            throw new TvBuilderException(ErrorCode.BAD_BUILDER, "builder '" + name + "' returned a "
                    + v.getClass().getName() + " for OBJECT column '" + col.name() + "' at row " + row
                    + " that cannot be stored: " + why.get() + "; return records, collections or classes whose"
                    + " fields Kryo can write and read back (see ColumnType.OBJECT)");
        }
    }

    private static Object widen(ColumnType t, Object v) {
        if (t == ColumnType.LONG && (v instanceof Integer || v instanceof Short || v instanceof Byte)) {
            return ((Number) v).longValue();
        }
        if (t == ColumnType.DOUBLE && v instanceof Float f) {
            return f.doubleValue();
        }
        return v;
    }
}
