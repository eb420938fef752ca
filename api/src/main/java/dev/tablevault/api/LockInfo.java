package dev.tablevault.api;

/**
 * One held lock: {@code resource} is {@code vault}, {@code table:T}, {@code instance:T/I} or {@code artifacts:T};
 * {@code runnerPid} is the OS process id running the holding process (or that last ran it), null when not known.
 */
public record LockInfo(String resource, LockMode mode, String processId, ProcessState processState, Long runnerPid) {
}
