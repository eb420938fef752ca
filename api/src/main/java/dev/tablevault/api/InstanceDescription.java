package dev.tablevault.api;

import java.time.Instant;
import java.util.List;

/**
 * What an instance is. For a temporary instance the materialization fields are null. For a temporary instance an
 * active process is building, {@code columns} and {@code rows} are those of the process's last checkpoint and
 * {@code progress} says so (a partial read, see {@link Vault#dataframe}).
 *
 * @param table table name
 * @param id instance id ({@code TEMP_<version>} while temporary)
 * @param version version label
 * @param temporary not materialized yet
 * @param externalEdit filled by {@code writeInstance}
 * @param originTable table of the origin instance, or null
 * @param originId origin instance, or null
 * @param description free text
 * @param columns the columns, in order
 * @param changedColumns columns whose data differ from the origin
 * @param rows row count
 * @param success false for a stop-materialized instance
 * @param active false once deactivated by a side-effect table
 * @param changedTime when its data last changed
 * @param materializedTime when it was materialized
 * @param processId the process that created (temporary) or materialized it
 * @param dependencies for an executed instance, the instances its builders read, as {@code table/instanceId}
 * @param columnTimes when each column's data last changed (a column carried over unchanged keeps its time);
 *     empty for a temporary instance
 * @param progress where the active process building this temporary instance is, or null when none is
 */
public record InstanceDescription(String table, String id, String version, boolean temporary, boolean externalEdit,
                                  String originTable, String originId, String description, List<Column> columns,
                                  List<String> changedColumns, long rows, boolean success, boolean active,
                                  Instant changedTime, Instant materializedTime, String processId,
                                  List<String> dependencies, java.util.Map<String, Instant> columnTimes,
                                  InstanceProgress progress) {
    public InstanceDescription {
        columns = List.copyOf(columns);
        changedColumns = List.copyOf(changedColumns);
        dependencies = List.copyOf(dependencies);
        columnTimes = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(columnTimes));
    }

    /** An instance no process is building ({@code progress} null): the form before partial reads existed. */
    public InstanceDescription(String table, String id, String version, boolean temporary, boolean externalEdit,
                               String originTable, String originId, String description, List<Column> columns,
                               List<String> changedColumns, long rows, boolean success, boolean active,
                               Instant changedTime, Instant materializedTime, String processId,
                               List<String> dependencies, java.util.Map<String, Instant> columnTimes) {
        this(table, id, version, temporary, externalEdit, originTable, originId, description, columns, changedColumns,
                rows, success, active, changedTime, materializedTime, processId, dependencies, columnTimes, null);
    }

    /** True when an active process is building this instance: its columns and rows are the committed part. */
    public boolean partial() {
        return progress != null;
    }
}
