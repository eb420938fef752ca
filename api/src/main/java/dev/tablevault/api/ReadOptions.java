package dev.tablevault.api;

/**
 * Which instance a read picks. With an {@code instanceId} that instance is read (temporary ones too);
 * otherwise the most recently materialized instance of {@code version} (any version when null) that passes
 * the filters.
 *
 * @param instanceId an exact instance id, or null
 * @param version a version label, or null for any
 * @param activeOnly skip instances deactivated by a side-effect table
 * @param successfulOnly skip instances materialized by {@code stopProcess(materialize)}
 */
public record ReadOptions(String instanceId, String version, boolean activeOnly, boolean successfulOnly) {

    /** The latest active instance of any version. */
    public static ReadOptions latest() {
        return new ReadOptions(null, null, true, false);
    }

    /** The latest active instance of one version. */
    public static ReadOptions version(String version) {
        return new ReadOptions(null, version, true, false);
    }

    /** One instance by id. */
    public static ReadOptions id(String instanceId) {
        return new ReadOptions(instanceId, null, false, false);
    }

    public ReadOptions activeOnly(boolean value) {
        return new ReadOptions(instanceId, version, value, successfulOnly);
    }

    public ReadOptions successfulOnly(boolean value) {
        return new ReadOptions(instanceId, version, activeOnly, value);
    }
}
