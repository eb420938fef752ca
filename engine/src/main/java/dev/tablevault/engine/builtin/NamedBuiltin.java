package dev.tablevault.engine.builtin;

import dev.tablevault.api.Builder;

/**
 * A builder from another module that every vault knows by a short name, as the built-ins: a
 * {@link java.util.ServiceLoader} provider of this interface on the class path (the {@code arrow} module's
 * {@code arrow} builder is one). A name a built-in already has is ignored, so providers cannot replace them.
 */
public interface NamedBuiltin extends Builder {
    /** The name specs give as {@code builder:}. */
    String builtinName();
}
