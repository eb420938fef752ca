package dev.tablevault.engine;

import dev.tablevault.api.Vault;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;

/**
 * A vault as a builder of a running process sees it: a proxy that marks the calling thread with the parent
 * process for the length of each call, so the writes it makes run as sub-processes of that parent.
 */
final class ChildView {
    /** The parent process of writes made on this thread through a child view. */
    private static final ThreadLocal<String> CHILD_OF = new ThreadLocal<>();

    private ChildView() {
    }

    /** The process whose child view the current thread is calling through, or null. */
    static String parent() {
        return CHILD_OF.get();
    }

    /** Runs {@code call} as a write of a builder of process {@code parent} (one in another OS process). */
    static <T> T within(String parent, java.util.function.Supplier<T> call) {
        String before = CHILD_OF.get();
        CHILD_OF.set(parent);
        try {
            return call.get();
        } finally {
            if (before == null) {
                CHILD_OF.remove();
            } else {
                CHILD_OF.set(before);
            }
        }
    }

    /**
     * {@code vault} as a builder of process {@code parent} sees it: every write runs as a sub-process of
     * {@code parent} and shares its locks; reads are the vault's; {@code close} does nothing (the vault stays
     * the application's). Valid while {@code parent} runs.
     */
    static Vault of(Vault vault, String parent) {
        InvocationHandler h = (proxy, m, args) -> {
            if (m.getName().equals("close") && m.getParameterCount() == 0) {
                return null;
            }
            if (m.getDeclaringClass() == Object.class) {
                return m.getName().equals("toString") ? "Vault(sub-processes of " + parent + ")"
                        : m.invoke(vault, args);
            }
            String before = CHILD_OF.get();
            CHILD_OF.set(parent);
            try {
                return m.invoke(vault, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            } finally {
                if (before == null) {
                    CHILD_OF.remove();
                } else {
                    CHILD_OF.set(before);
                }
            }
        };
        return (Vault) Proxy.newProxyInstance(Vault.class.getClassLoader(), new Class<?>[] {Vault.class}, h);
    }
}
