package dev.tablevault.api;

import java.time.Instant;

/**
 * One decoded entry of a process log: {@code BEGIN} (detail: the arguments), {@code LOCKS}, {@code CHECKPOINT}
 * (detail: progress), {@code END} (step: the final state; detail: the error, if any).
 */
public record LogEntryInfo(long seq, String kind, String step, Instant time, String detail) {
}
