package dev.tablevault.api;

/**
 * A builder: Java code that fills columns of an instance during {@code executeInstance}. Implement one of
 * {@link FrameBuilder} (mode {@code whole-column}), {@link RowBuilder} ({@code row-wise}) or
 * {@link GeneratorBuilder} ({@code generator}), and make it known by name through
 * {@link VaultOptions#builder(String, Builder)} or by class name through {@link java.util.ServiceLoader}.
 *
 * <p>An exception thrown by builder code is an external error: it reverts the process, or pauses it when the
 * caller supplied a process id; it reaches the caller unchanged. Implementations used with {@code threads > 1}
 * must be thread safe.
 */
public interface Builder {
    /**
     * The version of this builder's code. A change makes a re-execution recompute its columns even when the
     * spec did not change. Empty by default.
     */
    default String codeVersion() {
        return "";
    }
}
