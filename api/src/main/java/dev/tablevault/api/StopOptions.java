package dev.tablevault.api;

/**
 * Options of {@code stopProcess}.
 *
 * @param materialize keep the partial result of a write or execute as an active, unsuccessful instance
 *                    instead of reverting it
 * @param force stop a process whose recorded owner is another live OS process
 * @param processId the id of the stop operation itself, or null
 */
public record StopOptions(boolean materialize, boolean force, String processId) {
    public static StopOptions defaults() {
        return new StopOptions(false, false, null);
    }

    public StopOptions materialize(boolean value) {
        return new StopOptions(value, force, processId);
    }

    public StopOptions force(boolean value) {
        return new StopOptions(materialize, value, processId);
    }

    public StopOptions processId(String value) {
        return new StopOptions(materialize, force, value);
    }
}
