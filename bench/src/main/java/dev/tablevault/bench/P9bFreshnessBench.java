package dev.tablevault.bench;

import dev.tablevault.api.Durability;
import dev.tablevault.api.ExecuteOptions;
import dev.tablevault.api.RowBuilder;
import dev.tablevault.api.Vault;
import dev.tablevault.api.VaultOptions;
import dev.tablevault.engine.TableVault;
import dev.tablevault.engine.board.BoardView;

import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;

import static dev.tablevault.bench.ExecSetup.T;
import static dev.tablevault.bench.ExecSetup.progress;
import static dev.tablevault.bench.Report.fmt;

/**
 * P9b: a reader in another OS process sees a checkpoint's progress within 500 ms. A child JVM ({@code ExecBench
 * --child p9b}) executes a slow row-wise column (about 1 ms a row) with a checkpoint every {@code checkpointRows}
 * rows and logs, from the execution's listener (called right after each checkpoint commits), the rows done and
 * {@code System.currentTimeMillis()}. This JVM reads the board ({@link BoardView}, no RocksDB) in a loop meanwhile
 * and notes, for each read, when it ended and the column's rows done. A checkpoint's lag is the end of the first
 * read showing at least its rows, minus its commit time (one clock: both JVMs read the same wall clock).
 * Checkpoints no read saw (the process ended first) are counted apart. Median and p99 over every round.
 */
final class P9bFreshnessBench {
    static final long TARGET_MILLIS = 500;
    private static final String COLUMN = "n";

    private final int rows;
    private final int checkpointRows;
    private final int rounds;

    P9bFreshnessBench(int rows, int checkpointRows, int rounds) {
        this.rows = rows;
        this.checkpointRows = checkpointRows;
        this.rounds = rounds;
    }

    /** One board read: when it ended, and the column's rows done it showed (-1: not in that step yet). */
    private record Seen(long at, long rowsDone) {
    }

    void run(Report report) throws Exception {
        List<Long> lags = new ArrayList<>();
        int unseen = 0;
        int reads = 0;
        double readMillis = 0;
        for (int r = 0; r < rounds; r++) {
            Path dir = BenchDirs.create("tv-bench-p9b-");
            try {
                Path vault = dir.resolve("vault");
                Path log = dir.resolve("commits.txt");
                try (Vault v = TableVault.open(vault, VaultOptions.defaults().author("bench").create(true)
                        .durability(Durability.NONE))) {
                    ExecSetup.setupOneColumn(v, "base", rows, null, "slow");
                }
                progress("P9b round " + (r + 1) + ": child executes " + rows + " rows");
                CompletableFuture<ChildJvm.Result> child = CompletableFuture.supplyAsync(() -> {
                    try {
                        return ChildJvm.start(List.of(), "p9b", vault.toString(), Integer.toString(checkpointRows),
                                log.toString());
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                List<Seen> seen = new ArrayList<>();
                long readNanos = 0;
                while (!child.isDone()) {
                    long t0 = System.nanoTime();
                    BoardView view = BoardView.read(vault, System.currentTimeMillis());
                    long at = System.currentTimeMillis();
                    readNanos += System.nanoTime() - t0;
                    long done = view.rows().stream().filter(x -> x.entry().step().equals(COLUMN))
                            .mapToLong(x -> x.entry().rowsDone()).max().orElse(-1);
                    seen.add(new Seen(at, done));
                    LockSupport.parkNanos(5_000_000);
                }
                ChildJvm.Result res = child.join();
                if (res.exit() != 0) {
                    throw new IllegalStateException("P9b child exited " + res.exit());
                }
                reads += seen.size();
                readMillis += readNanos / 1e6;
                for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
                    String[] f = line.split(" ");
                    long done = Long.parseLong(f[0]);
                    long committed = Long.parseLong(f[1]);
                    Seen first = seen.stream().filter(s -> s.at() >= committed && s.rowsDone() >= done).findFirst()
                            .orElse(null);
                    if (first == null) {
                        unseen++;
                    } else {
                        lags.add(first.at() - committed);
                    }
                }
            } finally {
                BenchDirs.deleteRecursively(dir);
            }
        }
        long[] sorted = lags.stream().mapToLong(Long::longValue).sorted().toArray();
        if (sorted.length == 0) {
            throw new IllegalStateException("P9b saw no checkpoint on the board");
        }
        long median = percentile(sorted, 50);
        long p99 = percentile(sorted, 99);
        report.line("### P9b: board freshness seen from another OS process").line("");
        report.line("A child JVM executes " + rows + " rows of a slow row-wise column (about 1 ms a row), a checkpoint"
                + " every " + checkpointRows + " rows (`Durability.NONE`), " + rounds + " rounds; this JVM reads the board in a loop ("
                + reads + " reads, " + fmt(readMillis / reads, 1) + " ms each on average, 5 ms apart). Lag: end of the"
                + " first read showing a checkpoint's rows, minus the time the child's listener saw it committed.")
                .line("");
        report.row("P9b", "checkpoints seen", "not seen (ended first)", "median ms", "p99 ms", "max ms")
                .row("---", "---:", "---:", "---:", "---:", "---:");
        report.row("lag", sorted.length, unseen, median, p99, sorted[sorted.length - 1]);
        report.line("").line("P9b (target: a checkpoint seen within " + TARGET_MILLIS + " ms): median **" + median
                + " ms**, p99 **" + p99 + " ms**, " + Report.verdict(p99 <= TARGET_MILLIS) + ".").line("");
    }

    private static long percentile(long[] sorted, int p) {
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    /**
     * In the child: executes the vault's {@code base} with the {@code slow} builder, writing "rowsDone millis" of
     * each of the column's checkpoints to {@code log}.
     */
    static int child(Path vault, int checkpointRows, Path log) throws Exception {
        RowBuilder slow = (ctx, row) -> {
            LockSupport.parkNanos(1_000_000);
            return List.of(row);
        };
        List<long[]> commits = new ArrayList<>();
        try (Vault v = TableVault.open(vault, VaultOptions.defaults().author("bench").durability(Durability.NONE)
                .builder("slow", slow))) {
            v.executeInstance(T, ExecuteOptions.defaults().checkpointRows(checkpointRows).checkpointMillis(3_600_000)
                    .listener((builder, step, steps, done, total) -> {
                        if (builder.equals(COLUMN) && done > 0) {
                            commits.add(new long[] {done, System.currentTimeMillis()});
                        }
                    }));
        }
        try (BufferedWriter w = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
            for (long[] c : commits) {
                w.write(c[0] + " " + c[1] + "\n");
            }
        }
        ChildJvm.put("commits", commits.size());
        return 0;
    }
}
