package dev.tablevault.api;

/**
 * How a process shows ({@link ProcessInfo#status()}): its saved {@link ProcessState}, except CRASHED for a
 * SETUP or RUNNING process whose runner (the OS process running it) is gone. Derived when the snapshot is
 * taken, never saved. A crashed process keeps its locks until {@code resumeProcess} or {@code stopProcess}
 * ({@code tv resume ID}, {@code tv stop ID [--materialize]}), or a restart, takes it on.
 */
public enum ProcessStatus {
    SETUP, RUNNING, PAUSED, CRASHED, COMMITTED, REVERTED, STOPPED, MATERIALIZED;

    /** The status of a process saved in {@code state} whose runner is alive or not. */
    public static ProcessStatus of(ProcessState state, boolean runnerAlive) {
        if ((state == ProcessState.SETUP || state == ProcessState.RUNNING) && !runnerAlive) {
            return CRASHED;
        }
        return valueOf(state.name());
    }
}
