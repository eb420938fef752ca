package dev.tablevault.engine.board;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The JVM flags Chronicle Map needs on Java 17, checked before any Chronicle class loads: without them its
 * classes fail in static initializers, which would leave the JVM unable to try again.
 */
public final class ChronicleFlags {
    /** The flags, one per element, as a {@code java} command line takes them. */
    public static final List<String> REQUIRED = List.of(
            "--add-opens=java.base/java.lang=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED",
            "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED");

    private ChronicleFlags() {
    }

    /** The required flags this JVM was started without; empty when Chronicle Map can run. */
    public static List<String> missing() {
        Module me = ChronicleFlags.class.getModule();
        List<String> out = new ArrayList<>();
        for (String flag : REQUIRED) {
            boolean open = flag.startsWith("--add-opens=");
            String[] spec = flag.substring(flag.indexOf('=') + 1, flag.lastIndexOf('=')).split("/");
            Optional<Module> m = ModuleLayer.boot().findModule(spec[0]);
            boolean ok = m.isPresent() && (open ? m.get().isOpen(spec[1], me) : m.get().isExported(spec[1], me));
            if (!ok) {
                out.add(flag);
            }
        }
        return out;
    }

    /** Why there is no board in this JVM, naming the flags; null when there can be one. */
    public static String problem() {
        List<String> missing = missing();
        return missing.isEmpty() ? null : "this JVM lacks the flags Chronicle Map needs (" + String.join(" ", missing)
                + "); start java with them (tools/tv and tv.jar do) or turn the board off with VaultOptions.board(false)";
    }
}
