package dev.tablevault.engine.ref;

/** Finds the instance a reference names. Thread safe. */
public interface RefSource {
    /**
     * The instance {@code table} ({@link Ref#SELF} for the one being built) at {@code version} (null when the
     * reference gives none) names, as resolved when the execution started.
     *
     * @throws dev.tablevault.api.TvBuilderException if it is not one the execution resolved and locked
     */
    RefTable table(String table, String version, Ref at);
}
