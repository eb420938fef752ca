package dev.tablevault.api;

/** One held lock: {@code resource} is {@code vault}, {@code table:T}, {@code instance:T/I} or {@code artifacts:T}. */
public record LockInfo(String resource, LockMode mode, String processId, ProcessState processState) {
}
