package dev.tablevault.bench;

import dev.tablevault.api.ExecuteOptions;
import dev.tablevault.api.OpOptions;
import dev.tablevault.api.ReadOptions;
import dev.tablevault.api.RowCursor;
import dev.tablevault.api.TableOptions;
import dev.tablevault.api.Vault;
import dev.tablevault.api.VaultOptions;
import dev.tablevault.engine.TableVault;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * The second OS process of P8, P8b and P8c: it opens the vault the benchmark's JVM owns (so every call goes
 * through the owner's socket), warms up, prints {@code READY}, waits for a line on stdin, runs the timed part
 * and prints {@code RESULT <nanos> <count> <cpu nanos>} (the CPU time this process spent meanwhile). Modes:
 * {@code small DIR OPS} (createTable + deleteTable pairs, one thread), {@code threads DIR THREADS OPS}
 * (createTable from THREADS threads, OPS each; again for every further line on stdin, a {@code RESULT} each,
 * until stdin closes), {@code read DIR TABLE} (one {@code rows} pass and one {@code dataframe}; prints
 * {@code RESULT} for each), {@code exec DIR TABLE WARM VERSION} (executes TEMP_WARM, then, timed, TEMP_VERSION,
 * whose row-wise builder {@code label} is registered here, so it runs here).
 */
final class RemoteBenchChild {
    private final Process process;
    private final BufferedReader out;
    private final PrintWriter in;

    private RemoteBenchChild(Process process) {
        this.process = process;
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.in = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
    }

    /** Starts a child and waits until it is warmed up. */
    static RemoteBenchChild start(String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(JvmFlags.ALL);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(RemoteBenchChild.class.getName());
        cmd.addAll(List.of(args));
        RemoteBenchChild c = new RemoteBenchChild(new ProcessBuilder(cmd)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start());
        c.expect("READY");
        return c;
    }

    void go() {
        in.println("GO");
    }

    /** The next {@code RESULT} line's numbers: nanoseconds, count, CPU nanoseconds. */
    long[] result() throws IOException {
        String line = expect("RESULT");
        String[] f = line.split(" ");
        return new long[] {Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3])};
    }

    /** The CPU time this JVM has used, all threads, in nanoseconds. */
    static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    void finish() throws InterruptedException {
        in.close();
        process.waitFor();
    }

    private String expect(String prefix) throws IOException {
        String line;
        while ((line = out.readLine()) != null) {
            if (line.startsWith(prefix)) {
                return line;
            }
            System.err.println("[child] " + line);
        }
        throw new IllegalStateException("child ended before " + prefix + " (exit " + process.exitValue() + ")");
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[1]);
        BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        try (Vault v = TableVault.open(dir, VaultOptions.defaults().builder("label", P8dRemoteExecBench.LABEL))) {
            switch (args[0]) {
                case "small" -> {
                    int ops = Integer.parseInt(args[2]);
                    String me = "c" + ProcessHandle.current().pid();
                    smallOps(v, me + "w", ops);
                    ready(stdin);
                    long cpu = cpuNanos();
                    long t = System.nanoTime();
                    smallOps(v, me, ops);
                    System.out.println("RESULT " + (System.nanoTime() - t) + " " + ops * 2 + " " + (cpuNanos() - cpu));
                }
                case "threads" -> {
                    int threads = Integer.parseInt(args[2]);
                    int ops = Integer.parseInt(args[3]);
                    String me = "c" + ProcessHandle.current().pid();
                    creates(v, me + "w", threads, ops / 2); // JIT-warm the client before the timed part
                    System.out.println("READY");
                    System.out.flush();
                    for (int round = 0; stdin.readLine() != null; round++) { // a timed part per GO, as a
                        long cpu = cpuNanos();                                 // long-lived application would
                        long t = System.nanoTime();
                        creates(v, me + "r" + round, threads, ops);
                        System.out.println("RESULT " + (System.nanoTime() - t) + " " + (long) threads * ops + " "
                                + (cpuNanos() - cpu));
                        System.out.flush();
                    }
                }
                case "read" -> {
                    String table = args[2];
                    scan(v, table);
                    ready(stdin);
                    long cpu = cpuNanos();
                    long t = System.nanoTime();
                    long rows = scan(v, table);
                    System.out.println("RESULT " + (System.nanoTime() - t) + " " + rows + " " + (cpuNanos() - cpu));
                    cpu = cpuNanos();
                    t = System.nanoTime();
                    rows = v.dataframe(table, ReadOptions.latest()).rowCount();
                    System.out.println("RESULT " + (System.nanoTime() - t) + " " + rows + " " + (cpuNanos() - cpu));
                }
                case "exec" -> {
                    String table = args[2];
                    exec(v, table, args[3]);
                    ready(stdin);
                    long cpu = cpuNanos();
                    long t = System.nanoTime();
                    long rows = exec(v, table, args[4]);
                    System.out.println("RESULT " + (System.nanoTime() - t) + " " + rows + " " + (cpuNanos() - cpu));
                }
                default -> throw new IllegalArgumentException(args[0]);
            }
            System.out.flush();
            stdin.readLine();
        }
    }

    private static void ready(BufferedReader stdin) throws IOException {
        System.out.println("READY");
        System.out.flush();
        stdin.readLine();
    }

    /** {@code ops} pairs of createTable and deleteTable. */
    static void smallOps(Vault v, String prefix, int ops) {
        for (int i = 0; i < ops; i++) {
            v.createTable(prefix + "_" + i, TableOptions.defaults());
            v.deleteTable(prefix + "_" + i, OpOptions.defaults());
        }
    }

    /** {@code ops} createTable calls from each of {@code threads} threads. */
    static void creates(Vault v, String prefix, int threads, int ops) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(threads);
        for (int t = 0; t < threads; t++) {
            int thread = t;
            new Thread(() -> {
                for (int i = 0; i < ops; i++) {
                    v.createTable(prefix + "_" + thread + "_" + i, TableOptions.defaults());
                }
                done.countDown();
            }).start();
        }
        done.await();
    }

    /** Executes {@code TEMP_<version>} of {@code table} from scratch; returns its row count. */
    static long exec(Vault v, String table, String version) {
        v.executeInstance(table, ExecuteOptions.defaults().version(version).force(true));
        return v.description(table, v.instances(table, version, false).get(0)).rows();
    }

    /** One pass of {@code rows} over the latest instance; returns the row count. */
    static long scan(Vault v, String table) {
        long n = 0;
        try (RowCursor c = v.rows(table, ReadOptions.latest())) {
            while (c.hasNext()) {
                c.next();
                n++;
            }
        }
        return n;
    }
}
