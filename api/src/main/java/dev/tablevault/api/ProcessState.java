package dev.tablevault.api;

/**
 * Persisted process states: {@code SETUP -> RUNNING -> COMMITTED}; {@code RUNNING -> REVERTED};
 * {@code RUNNING -> PAUSED -> RUNNING}; {@code PAUSED -> STOPPED | MATERIALIZED}.
 */
public enum ProcessState {
    SETUP, RUNNING, PAUSED, COMMITTED, REVERTED, STOPPED, MATERIALIZED;

    /** True for states a process never leaves. */
    public boolean isFinal() {
        return this == COMMITTED || this == REVERTED || this == STOPPED || this == MATERIALIZED;
    }
}
