package dev.tablevault.engine.board;

import net.openhft.compiler.CachedCompiler;

import java.io.File;
import java.lang.reflect.Method;

/**
 * Run by the build (engine/pom.xml, phase {@code process-classes}), never by the engine: compiles the class
 * that Chronicle Map would otherwise generate and compile with javac on its first use in every JVM
 * ({@code VanillaGlobalMutableState$$Native}), into the engine's classes, where Chronicle looks first. That
 * javac run costs 1 to 2 s per JVM, which {@code tv ps} cannot afford. The class comes from the Chronicle
 * version the build resolves, so it always matches it.
 */
final class Pregenerate {
    private Pregenerate() {
    }

    /** {@code args[0]}: the classes folder to write into. */
    public static void main(String[] args) throws Exception {
        Class<?> model = Class.forName("net.openhft.chronicle.values.ValueModel");
        Class<?> state = Class.forName("net.openhft.chronicle.hash.VanillaGlobalMutableState");
        Object m = model.getMethod("acquire", Class.class).invoke(null, state);
        // Chronicle's generator is package-private; this is the call its own first-use path makes.
        Method generate = Class.forName("net.openhft.chronicle.values.Generators")
                .getDeclaredMethod("generateNativeClass", model, String.class);
        generate.setAccessible(true);
        String simple = state.getSimpleName() + "$$Native";
        String source = (String) generate.invoke(null, m, simple);
        try (CachedCompiler compiler = new CachedCompiler(null, new File(args[0]))) {
            compiler.loadFromJava(state.getPackageName() + "." + simple, source);
        }
    }
}
