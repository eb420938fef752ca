package dev.tablevault.engine;

import dev.tablevault.engine.exec.CallerCode;
import dev.tablevault.engine.remote.VaultServer;

import java.util.function.Supplier;

/**
 * The other OS process whose call the current thread serves, if any: its author (processes the call starts
 * record it), the builder process it calls from (its writes become sub-processes of that one) and its builder
 * code (an execution runs that code in the caller). Per thread, so calls served at once do not mix.
 */
final class Callers {
    private static final ThreadLocal<VaultServer.Caller> CALLER = new ThreadLocal<>();

    private Callers() {
    }

    /** Runs {@code call} on behalf of {@code caller}, as a sub-process of its builder's process when it names one. */
    static Object run(VaultServer.Caller caller, Supplier<Object> call) {
        CALLER.set(caller);
        try {
            return caller.parent() == null ? call.get() : ChildView.within(caller.parent(), call);
        } finally {
            CALLER.remove();
        }
    }

    /** The caller's author, or {@code own} when this thread serves no other process or it named none. */
    static String author(String own) {
        VaultServer.Caller caller = CALLER.get();
        return caller != null && caller.author() != null ? caller.author() : own;
    }

    /** The builder code of the caller, or null. */
    static CallerCode code() {
        VaultServer.Caller caller = CALLER.get();
        return caller == null ? null : caller.code();
    }
}
