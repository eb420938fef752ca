package dev.tablevault.api;

import java.util.Objects;

/**
 * Options of {@code createTable}.
 *
 * @param sideEffects an execute locks the whole table and deactivates the other instances when it materializes
 * @param multipleArtifacts each instance keeps its own artifact folder (otherwise one table folder is swapped)
 * @param description free text
 * @param processId caller-supplied process id for pause/resume, or null for a generated one
 */
public record TableOptions(boolean sideEffects, boolean multipleArtifacts, String description, String processId) {
    public TableOptions {
        Objects.requireNonNull(description, "description");
    }

    public static TableOptions defaults() {
        return new TableOptions(false, false, "", null);
    }

    public TableOptions sideEffects(boolean value) {
        return new TableOptions(value, multipleArtifacts, description, processId);
    }

    public TableOptions multipleArtifacts(boolean value) {
        return new TableOptions(sideEffects, value, description, processId);
    }

    public TableOptions description(String value) {
        return new TableOptions(sideEffects, multipleArtifacts, value, processId);
    }

    public TableOptions processId(String value) {
        return new TableOptions(sideEffects, multipleArtifacts, description, value);
    }
}
