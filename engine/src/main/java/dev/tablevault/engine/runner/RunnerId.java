package dev.tablevault.engine.runner;

import dev.tablevault.engine.codec.Records.ProcessRecord;

import java.time.Instant;

/**
 * The OS process running a process's code (its <em>runner</em>): pid and start time in epoch ms ({@code 0}
 * when the OS does not say), a pair that survives pid reuse. A process record names its runner; a SETUP or
 * RUNNING process whose runner is not alive crashed
 * ({@link dev.tablevault.api.ProcessStatus#of}). Immutable.
 */
public record RunnerId(long pid, long startMillis) {
    /**
     * How far two readings of one process's start time may differ: Linux derives it from the boot time,
     * which shifts by a second when the wall clock is adjusted. A reused pid belongs to a process started later.
     */
    public static final long START_TOLERANCE_MILLIS = 1_000;

    private static final RunnerId CURRENT = of(ProcessHandle.current());

    /** This JVM. */
    public static RunnerId current() {
        return CURRENT;
    }

    /** The runner a process record names. */
    public static RunnerId of(ProcessRecord r) {
        return new RunnerId(r.runnerPid(), r.runnerStart());
    }

    /** The runner a board file name names ({@code <pid>-<start>.cm}), or null for a name that is not one. */
    public static RunnerId ofFileName(String name) {
        if (!name.endsWith(".cm")) {
            return null;
        }
        String[] parts = name.substring(0, name.length() - 3).split("-");
        try {
            return parts.length == 2 ? new RunnerId(Long.parseLong(parts[0]), Long.parseLong(parts[1])) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The name of this runner's board file: {@code <pid>-<start>.cm}. */
    public String fileName() {
        return pid + "-" + startMillis + ".cm";
    }

    static RunnerId of(ProcessHandle h) {
        return new RunnerId(h.pid(), h.info().startInstant().map(Instant::toEpochMilli).orElse(0L));
    }

    /** The start as an instant, or null when unknown. */
    public Instant start() {
        return startMillis == 0 ? null : Instant.ofEpochMilli(startMillis);
    }

    /** True when this is the JVM asking. */
    public boolean isCurrent() {
        return pid == CURRENT.pid && sameStart(CURRENT.startMillis);
    }

    /**
     * True while the OS process with this pid exists and started at this start time (pid alone when either
     * start time is unknown).
     */
    public boolean isAlive() {
        if (isCurrent()) {
            return true;
        }
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .map(h -> h.info().startInstant().map(s -> sameStart(s.toEpochMilli())).orElse(true))
                .orElse(false);
    }

    private boolean sameStart(long otherMillis) {
        return startMillis == 0 || otherMillis == 0 || Math.abs(startMillis - otherMillis) <= START_TOLERANCE_MILLIS;
    }
}
