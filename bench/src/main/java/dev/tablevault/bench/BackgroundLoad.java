package dev.tablevault.bench;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * CPU time used by processes outside this benchmark (not this JVM, its ancestors or its descendants),
 * sampled every 500 ms from {@link ProcessHandle}: other builds on a shared machine skew every figure, so the
 * report says how much of the CPU they took. Processes that start and end between samples are missed.
 */
final class BackgroundLoad implements AutoCloseable {
    record Mark(long nanos, double cpuSeconds, Map<String, Double> byName) {
    }

    private final Map<Long, double[]> cpu = new ConcurrentHashMap<>(); // pid -> {first, last} seconds
    private final Map<Long, String> names = new ConcurrentHashMap<>();
    private final Instant started = Instant.now();
    private final Thread sampler;
    private volatile boolean stopped;

    BackgroundLoad() {
        sample();
        sampler = new Thread(() -> {
            while (!stopped) {
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    return;
                }
                sample();
            }
        }, "background-load");
        sampler.setDaemon(true);
        sampler.start();
    }

    private static boolean ours(ProcessHandle p) {
        ProcessHandle self = ProcessHandle.current();
        if (p.pid() == self.pid()) {
            return true;
        }
        for (ProcessHandle a = self.parent().orElse(null); a != null; a = a.parent().orElse(null)) {
            if (a.pid() == p.pid()) {
                return true;
            }
        }
        for (ProcessHandle a = p.parent().orElse(null); a != null; a = a.parent().orElse(null)) {
            if (a.pid() == self.pid()) {
                return true;
            }
        }
        return false;
    }

    private synchronized void sample() {
        ProcessHandle.allProcesses().forEach(p -> {
            ProcessHandle.Info info = p.info();
            if (info.totalCpuDuration().isEmpty() || ours(p)) {
                return;
            }
            double now = info.totalCpuDuration().get().toNanos() / 1e9;
            boolean newer = info.startInstant().map(i -> i.isAfter(started)).orElse(false);
            cpu.computeIfAbsent(p.pid(), k -> new double[] {newer ? 0 : now, now})[1] = now;
            names.putIfAbsent(p.pid(), info.command().map(c -> Path.of(c).getFileName().toString())
                    .orElse("(no command line: kernel threads)"));
        });
    }

    synchronized Mark mark() {
        sample();
        Map<String, Double> by = new TreeMap<>();
        double total = 0;
        for (Map.Entry<Long, double[]> e : cpu.entrySet()) {
            double used = e.getValue()[1] - e.getValue()[0];
            total += used;
            by.merge(names.getOrDefault(e.getKey(), "(unknown)"), used, Double::sum);
        }
        return new Mark(System.nanoTime(), total, by);
    }

    /** "X CPU-s over Y s (Z% of the machine), mostly a, b" since {@code m}. */
    String since(Mark m) {
        Mark now = mark();
        double wall = (now.nanos() - m.nanos()) / 1e9;
        double used = now.cpuSeconds() - m.cpuSeconds();
        StringBuilder top = new StringBuilder();
        now.byName().entrySet().stream()
                .map(e -> Map.entry(e.getKey(), e.getValue() - m.byName().getOrDefault(e.getKey(), 0.0)))
                .filter(e -> e.getValue() >= 0.05)
                .sorted((a, b) -> Double.compare(b.getValue(), a.getValue())).limit(3)
                .forEach(e -> top.append(top.length() == 0 ? "" : ", ").append(e.getKey()).append(' ')
                        .append(Report.fmt(e.getValue(), 1)).append(" s"));
        return Report.fmt(used, 1) + " CPU-s over " + Report.fmt(wall, 1) + " s of wall time ("
                + Report.fmt(100 * used / (wall * Runtime.getRuntime().availableProcessors()), 0) + "% of the "
                + Runtime.getRuntime().availableProcessors() + " CPUs)" + (top.length() == 0 ? "" : "; " + top);
    }

    @Override
    public void close() {
        stopped = true;
        sampler.interrupt();
    }
}
