package dev.tablevault.bench;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

/**
 * The JVM flags benchmark JVMs run with: the parent POM's {@code jvm.flags} (Chronicle Map's live board needs
 * them on Java 17; without them the engine runs without the board, which would not be the product we ship).
 *
 * <p>JMH's {@code @Fork(jvmArgsAppend = ...)} needs compile-time constants, so the flags are spelled out here.
 * {@link #check()} compares them with the POM property (copied into {@code tablevault-bench.properties} by
 * resource filtering) and with the running JVM's own arguments, and says so loudly when they differ.
 */
public final class JvmFlags {
    public static final String OPEN_LANG = "--add-opens=java.base/java.lang=ALL-UNNAMED";
    /** Arrow's memory (module {@code arrow}) reads direct buffers' addresses. */
    public static final String OPEN_NIO = "--add-opens=java.base/java.nio=ALL-UNNAMED";
    public static final String OPEN_REFLECT = "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED";
    public static final String EXPORT_NIO_CH = "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED";
    public static final String EXPORT_REF = "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED";
    public static final String EXPORT_JAVAC_FILE = "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED";
    public static final String NATIVE_ACCESS = "--enable-native-access=ALL-UNNAMED";
    public static final String NO_ANALYTICS = "-Dchronicle.analytics.disable=true";
    public static final String NO_ANNOUNCER = "-Dchronicle.announcer.disable=true";

    /** In the order of the POM property. */
    public static final List<String> ALL = List.of(OPEN_LANG, OPEN_NIO, OPEN_REFLECT, EXPORT_NIO_CH, EXPORT_REF,
            EXPORT_JAVAC_FILE, NATIVE_ACCESS, NO_ANALYTICS, NO_ANNOUNCER);

    private JvmFlags() {
    }

    /** The POM's {@code jvm.flags}, or null when the filtered resource is missing. */
    static List<String> fromPom() {
        try (InputStream in = JvmFlags.class.getResourceAsStream("/tablevault-bench.properties")) {
            if (in == null) {
                return null;
            }
            Properties p = new Properties();
            p.load(in);
            String flags = p.getProperty("jvm.flags");
            if (flags == null || flags.contains("${")) {
                return null;
            }
            return Arrays.asList(flags.trim().split("\\s+"));
        } catch (IOException e) {
            return null;
        }
    }

    /** Problems found, empty when the constants match the POM and this JVM runs with all of them. */
    static List<String> check() {
        List<String> problems = new ArrayList<>();
        List<String> pom = fromPom();
        if (pom == null) {
            problems.add("tablevault-bench.properties missing or unfiltered; cannot compare with the POM's jvm.flags");
        } else if (!pom.equals(ALL)) {
            problems.add("JvmFlags constants differ from the POM's jvm.flags: " + ALL + " vs " + pom);
        }
        List<String> running = ManagementFactory.getRuntimeMXBean().getInputArguments();
        List<String> missing = new ArrayList<>();
        for (String f : ALL) {
            if (!running.contains(f)) {
                missing.add(f);
            }
        }
        if (!missing.isEmpty()) {
            problems.add("this JVM runs without " + missing + " (start it with the POM's jvm.flags)");
        }
        return problems;
    }

    static void warnIfWrong() {
        for (String p : check()) {
            System.err.println("WARNING: " + p);
        }
    }
}
