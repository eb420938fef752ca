package dev.tablevault.engine.board;

import java.time.Instant;
import java.util.Optional;

/**
 * An OS process by pid and start time (epoch ms), so a reused pid is not taken for the process that died.
 *
 * @param pid the OS process id
 * @param start its start time in epoch ms, or 0 when the OS did not say
 */
public record RunnerId(long pid, long start) {
    /** Start times read at different moments may differ by the OS's clock tick; closer than this is the same. */
    private static final long START_TOLERANCE_MILLIS = 1_000;

    /** This JVM. */
    public static RunnerId current() {
        ProcessHandle self = ProcessHandle.current();
        return new RunnerId(self.pid(), startOf(self));
    }

    /** True when the process runs now; with no start time on either side, by pid alone. */
    public boolean alive() {
        Optional<ProcessHandle> h = ProcessHandle.of(pid);
        if (h.isEmpty() || !h.get().isAlive()) {
            return false;
        }
        long s = startOf(h.get());
        return start == 0 || s == 0 || Math.abs(s - start) <= START_TOLERANCE_MILLIS;
    }

    private static long startOf(ProcessHandle h) {
        return h.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
    }

    /** The board file name of this runner: {@code <pid>-<start>.cm}. */
    String fileName() {
        return pid + "-" + start + ".cm";
    }

    /** The runner a board file name names, or null for a name that is not one. */
    static RunnerId ofFileName(String name) {
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
}
