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
 * @param listener told of the progress of this call, or null; not part of the process's arguments (a resume
 *     by {@code restart} runs without it)
 */
public record ExecuteOptions(String version, String processId, int checkpointRows, long checkpointMillis,
                             boolean force, ExecutionListener listener) {
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
        return new ExecuteOptions("base", null, 4096, 1000, false, null);
    }

    public ExecuteOptions version(String value) {
        return new ExecuteOptions(value, processId, checkpointRows, checkpointMillis, force, listener);
    }

    public ExecuteOptions processId(String value) {
        return new ExecuteOptions(version, value, checkpointRows, checkpointMillis, force, listener);
    }

    public ExecuteOptions checkpointRows(int value) {
        return new ExecuteOptions(version, processId, value, checkpointMillis, force, listener);
    }

    public ExecuteOptions checkpointMillis(long value) {
        return new ExecuteOptions(version, processId, checkpointRows, value, force, listener);
    }

    public ExecuteOptions force(boolean value) {
        return new ExecuteOptions(version, processId, checkpointRows, checkpointMillis, value, listener);
    }

    public ExecuteOptions listener(ExecutionListener value) {
        return new ExecuteOptions(version, processId, checkpointRows, checkpointMillis, force, value);
    }
}
