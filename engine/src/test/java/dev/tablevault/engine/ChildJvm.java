package dev.tablevault.engine;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A child JVM running a test main class on this JVM's class path: the only honest way to test a crash
 * ({@code Runtime.halt}, {@code kill -9}) or a second OS process. Its stdout and stderr are merged and read
 * line by line; {@link #output()} keeps everything read for failure messages.
 */
public final class ChildJvm implements AutoCloseable {
    private final Process process;
    private final BufferedReader out;
    private final StringBuilder seen = new StringBuilder();

    private ChildJvm(Process process) {
        this.process = process;
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    public static ChildJvm start(Class<?> main, String... args) throws IOException {
        return start(List.of(), main, args);
    }

    /** A child with {@code jvmArgs} (such as {@code -Dname=value}) after this JVM's own flags. */
    public static ChildJvm start(List<String> jvmArgs, Class<?> main, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx128m");
        cmd.add("-XX:TieredStopAtLevel=1");
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("--add-") || a.startsWith("--enable-native-access") || a.startsWith("-Dchronicle")) {
                cmd.add(a);
            }
        }
        cmd.addAll(jvmArgs);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(main.getName());
        cmd.addAll(List.of(args));
        return new ChildJvm(new ProcessBuilder(cmd).redirectErrorStream(true).start());
    }

    public Process process() {
        return process;
    }

    /** The next line of output, or null once the child has ended and everything it wrote was read. */
    public String nextLine() throws IOException {
        String line = out.readLine();
        if (line != null) {
            seen.append(line).append('\n');
        }
        return line;
    }

    /** Reads lines until one starts with {@code prefix}; fails if the child ends first. */
    String awaitLine(String prefix) throws IOException {
        String line;
        while ((line = out.readLine()) != null) {
            seen.append(line).append('\n');
            if (line.startsWith(prefix)) {
                return line;
            }
        }
        throw new AssertionError("child ended (exit " + waitExit() + ") before printing '" + prefix + "':\n" + seen);
    }

    /** Waits for the end (a safety net of 2 minutes fails the test) and returns the exit code. */
    int waitExit() {
        try {
            String rest = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            seen.append(rest);
            assertThat(process.waitFor(2, TimeUnit.MINUTES)).as("child still running:\n%s", seen).isTrue();
            return process.exitValue();
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    public String output() {
        return seen.toString();
    }

    /** {@code kill -9}: SIGKILL, no shutdown hooks, no RocksDB close. */
    public int kill() {
        process.destroyForcibly();
        try {
            assertThat(process.waitFor(2, TimeUnit.MINUTES)).as("killed child still running").isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        return process.exitValue();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
