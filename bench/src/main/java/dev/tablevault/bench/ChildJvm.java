package dev.tablevault.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The execution benchmarks' child JVMs: {@code ExecBench --child p4-halt ...} (P4, halted as by kill -9) and
 * {@code ExecBench --child m1 ...} (M1, with a small heap) and {@code ExecBench --child p9b ...} (P9b, the
 * execution whose board another JVM reads). The parent starts one with {@link #start} and reads
 * back the {@code key=value} pairs the child wrote with {@link #put}; the child's other output goes to stderr.
 */
final class ChildJvm {
    static final int HALT_STATUS = 137;
    private static final String PREFIX = "EXECBENCH ";

    /** A finished child: its exit status and the pairs it wrote. */
    record Result(int exit, Map<String, String> values) {
    }

    private ChildJvm() {
    }

    static Result start(List<String> jvmArgs, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(JvmFlags.ALL);
        cmd.addAll(jvmArgs);
        String benchDir = System.getProperty("bench.dir");
        if (benchDir != null && !benchDir.isBlank()) {
            cmd.add("-Dbench.dir=" + benchDir);
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(ExecBench.class.getName());
        cmd.add("--child");
        cmd.addAll(Arrays.asList(args));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        Map<String, String> values = new LinkedHashMap<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith(PREFIX)) {
                    String[] kv = line.substring(PREFIX.length()).split("=", 2);
                    values.put(kv[0], kv.length > 1 ? kv[1] : "");
                } else {
                    System.err.println("[child] " + line);
                }
            }
        }
        if (!p.waitFor(30, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException("child " + Arrays.toString(args) + " did not end in 30 minutes");
        }
        return new Result(p.exitValue(), values);
    }

    /** In the child: one pair for the parent. */
    static void put(String key, Object value) {
        System.out.println(PREFIX + key + "=" + value);
        System.out.flush();
    }

    /** In the child: runs the program {@code args[0]} names; returns the exit status. */
    static int run(String[] args) throws Exception {
        return switch (args[0]) {
            case "p4-halt" -> P4Resume.haltingChild(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]),
                    args[4], BenchBackend.valueOf(args[5]), Path.of(args[6]), Long.parseLong(args[7]));
            case "m1" -> M1MemoryBench.child(Integer.parseInt(args[1]), args[2]);
            case "p9b" -> P9bFreshnessBench.child(Path.of(args[1]), Integer.parseInt(args[2]), Path.of(args[3]));
            default -> throw new IllegalArgumentException("unknown child program " + args[0]);
        };
    }
}
