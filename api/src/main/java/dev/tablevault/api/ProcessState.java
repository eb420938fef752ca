package dev.tablevault.api;

/**
 * Persisted process states: SETUP (a {@code writeInstance} still staging its frame) and RUNNING are saved by
 * checkpoints, PAUSED waits for a resume or a stop, and the four final states are never left. The full
 * transition table, with what causes each change, is in docs/ARCHITECTURE.md under "Process states".
 */
public enum ProcessState {
    SETUP, RUNNING, PAUSED, COMMITTED, REVERTED, STOPPED, MATERIALIZED;

    /** True for states a process never leaves. */
    public boolean isFinal() {
        return this == COMMITTED || this == REVERTED || this == STOPPED || this == MATERIALIZED;
    }
}
