package dev.tablevault.engine.process;

/**
 * Rethrows a builder's checked exception unchanged through methods that do not declare it: the error-handling
 * contract says the caller sees the builder's own exception, not a wrapper.
 */
public final class Sneaky {
    private Sneaky() {
    }

    /** Throws {@code t}; declared to return so callers can write {@code throw Sneaky.rethrow(t)}. */
    @SuppressWarnings("unchecked")
    public static <T extends Throwable> RuntimeException rethrow(Throwable t) throws T {
        throw (T) t;
    }
}
