package dev.tablevault.api;

import java.time.Instant;

/**
 * A snapshot of one process record.
 *
 * @param id process id
 * @param operation the operation name, e.g. {@code createTable}
 * @param state current state, as saved
 * @param author who started it
 * @param parentId the parent process, or null
 * @param started when it began
 * @param updated when its record last changed
 * @param error the error that paused, reverted or stopped it ({@code Class: message}), or null
 * @param stepsDone checkpoints committed so far
 * @param attempts how many times a restart tried to resume it
 * @param argumentsDigest hex SHA-256 of its arguments; a resume must match it
 * @param runnerPid the OS process that runs it or ran it last, or null once finished
 * @param runnerStart when that OS process started, or null when finished or unknown
 * @param status how it shows: {@code state}, or CRASHED when it is SETUP or RUNNING but its runner is gone
 */
public record ProcessInfo(String id, String operation, ProcessState state, String author, String parentId,
                          Instant started, Instant updated, String error, long stepsDone, int attempts,
                          String argumentsDigest, Long runnerPid, Instant runnerStart, ProcessStatus status) {
}
