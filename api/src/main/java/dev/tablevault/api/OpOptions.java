package dev.tablevault.api;

/**
 * Options of the simple writes ({@code renameTable}, {@code deleteTable}, {@code deleteInstance},
 * {@code putBuilder}, {@code deleteBuilder}).
 *
 * @param processId caller-supplied process id for pause/resume, or null for a generated one
 */
public record OpOptions(String processId) {
    public static OpOptions defaults() {
        return new OpOptions(null);
    }

    public OpOptions processId(String value) {
        return new OpOptions(value);
    }
}
