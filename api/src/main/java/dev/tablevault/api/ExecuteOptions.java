package dev.tablevault.api;

import java.util.Objects;

/**
 * Options of {@code executeInstance}.
 *
 * @param version the temporary instance to build ({@code TEMP_<version>})
 * @param processId caller-supplied process id for pause and resume, or null
 * @param checkpointRows commit results at least every this many rows
 * @param checkpointMillis and at least every this many milliseconds, whichever comes first
 * @param force build every column from scratch instead of re-executing from an origin
 */
public record ExecuteOptions(String version, String processId, int checkpointRows, long checkpointMillis,
                             boolean force) {
    public ExecuteOptions {
        Objects.requireNonNull(version, "version");
        if (checkpointRows < 1) {
            throw new IllegalArgumentException("checkpointRows must be >= 1, got " + checkpointRows);
        }
        if (checkpointMillis < 1) {
            throw new IllegalArgumentException("checkpointMillis must be >= 1, got " + checkpointMillis);
        }
    }

    /** Version {@code base}, a generated process id, checkpoints every 4,096 rows or 1 s. */
    public static ExecuteOptions defaults() {
        return new ExecuteOptions("base", null, 4096, 1000, false);
    }

    public ExecuteOptions version(String value) {
        return new ExecuteOptions(value, processId, checkpointRows, checkpointMillis, force);
    }

    public ExecuteOptions processId(String value) {
        return new ExecuteOptions(version, value, checkpointRows, checkpointMillis, force);
    }

    public ExecuteOptions checkpointRows(int value) {
        return new ExecuteOptions(version, processId, value, checkpointMillis, force);
    }

    public ExecuteOptions checkpointMillis(long value) {
        return new ExecuteOptions(version, processId, checkpointRows, value, force);
    }

    public ExecuteOptions force(boolean value) {
        return new ExecuteOptions(version, processId, checkpointRows, checkpointMillis, value);
    }
}
