package dev.tablevault.api;

import java.util.List;

/**
 * Mode {@code generator}: streams rows in order. On a resume it is told the first row still to produce
 * ({@code firstRow}); rows before it are committed. As the index builder it defines the rows and ends when it
 * returns; as a column builder it must produce the rows {@code firstRow} to {@link BuildContext#rowCount()}.
 */
@FunctionalInterface
public interface GeneratorBuilder extends Builder {
    void generate(BuildContext context, long firstRow, RowSink sink) throws Exception;

    /** Receives generated rows; may commit a checkpoint inside {@link #accept}. */
    @FunctionalInterface
    interface RowSink {
        /** The next row's values of the builder's {@code changedColumns}, in order. */
        void accept(List<Object> values);
    }
}
