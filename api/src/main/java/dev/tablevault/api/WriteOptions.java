package dev.tablevault.api;

import java.util.Objects;

/**
 * Options of {@code writeInstance}.
 *
 * @param version the external-edit temporary instance to materialize
 * @param processId caller-supplied process id for pause/resume, or null
 */
public record WriteOptions(String version, String processId) {
    public WriteOptions {
        Objects.requireNonNull(version, "version");
    }

    public static WriteOptions defaults() {
        return new WriteOptions("base", null);
    }

    public WriteOptions version(String value) {
        return new WriteOptions(value, processId);
    }

    public WriteOptions processId(String value) {
        return new WriteOptions(version, value);
    }
}
