package dev.tablevault.api;

/** Lock modes: any number of shared holders, or one exclusive holder. */
public enum LockMode {
    SHARED, EXCLUSIVE;

    /** True when a holder in this mode and a request in {@code other} mode can coexist. */
    public boolean compatibleWith(LockMode other) {
        return this == SHARED && other == SHARED;
    }
}
