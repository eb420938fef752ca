package dev.tablevault.api;

import java.util.List;

/**
 * Mode {@code row-wise}: called once per row of the index, possibly on several threads and out of order.
 * Returns the row's values of the spec's {@code changedColumns}, in order. A row whose result was committed
 * is never computed again, even after a crash.
 */
@FunctionalInterface
public interface RowBuilder extends Builder {
    List<Object> build(BuildContext context, long row) throws Exception;
}
