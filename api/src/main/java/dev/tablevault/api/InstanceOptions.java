package dev.tablevault.api;

import java.util.Objects;

/**
 * Options of {@code createInstance}.
 *
 * @param version the version label (no {@code _}); {@code base} by default
 * @param originId the materialized instance to start from, or null
 * @param originTable the table of {@code originId}; null means the same table
 * @param externalEdit the instance is filled by {@code writeInstance} instead of builders
 * @param copy with no {@code originId}: start from the latest materialized instance of the table
 * @param description free text
 * @param processId caller-supplied process id for pause/resume, or null
 */
public record InstanceOptions(String version, String originId, String originTable, boolean externalEdit,
                              boolean copy, String description, String processId) {
    public InstanceOptions {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(description, "description");
    }

    public static InstanceOptions defaults() {
        return new InstanceOptions("base", null, null, false, false, "", null);
    }

    public InstanceOptions version(String value) {
        return new InstanceOptions(value, originId, originTable, externalEdit, copy, description, processId);
    }

    public InstanceOptions originId(String value) {
        return new InstanceOptions(version, value, originTable, externalEdit, copy, description, processId);
    }

    public InstanceOptions originTable(String value) {
        return new InstanceOptions(version, originId, value, externalEdit, copy, description, processId);
    }

    public InstanceOptions externalEdit(boolean value) {
        return new InstanceOptions(version, originId, originTable, value, copy, description, processId);
    }

    public InstanceOptions copy(boolean value) {
        return new InstanceOptions(version, originId, originTable, externalEdit, value, description, processId);
    }

    public InstanceOptions description(String value) {
        return new InstanceOptions(version, originId, originTable, externalEdit, copy, value, processId);
    }

    public InstanceOptions processId(String value) {
        return new InstanceOptions(version, originId, originTable, externalEdit, copy, description, value);
    }
}
