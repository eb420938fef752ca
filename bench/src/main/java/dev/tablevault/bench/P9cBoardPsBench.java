package dev.tablevault.bench;

import dev.tablevault.api.BuildContext;
import dev.tablevault.api.Durability;
import dev.tablevault.api.ExecuteOptions;
import dev.tablevault.api.InstanceOptions;
import dev.tablevault.api.OpOptions;
import dev.tablevault.api.RowBuilder;
import dev.tablevault.api.TableOptions;
import dev.tablevault.api.Vault;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.tablevault.bench.ExecSetup.T;
import static dev.tablevault.bench.ExecSetup.progress;
import static dev.tablevault.bench.Report.fmt;
import static dev.tablevault.bench.Report.median;

/**
 * P9c: {@code tv ps} on a vault with N active processes answers within 1 s of process start. This JVM makes N
 * executions that pause at their first row and keeps the vault open (it owns it, so the board shows them all),
 * then runs {@code tools/tv --vault V ps} as a new OS process several times (one run first, not counted) and
 * times each from its start to its exit, JVM start included. Each run must answer from the board with every
 * process listed. Median of the runs.
 */
final class P9cBoardPsBench {
    static final double TARGET_SECONDS = 1.0;

    private final int processes;
    private final int runs;
    private final Path tv;
    private final boolean hold;

    /**
     * {@code tv}: the script to run (null: {@code tools/tv} in the checkout this runs from); {@code hold}: before
     * the runs, print the vault's path and wait for a line on stdin, so {@code tv ps} can be timed by hand.
     */
    P9cBoardPsBench(int processes, int runs, Path tv, boolean hold) {
        this.processes = processes;
        this.runs = runs;
        this.tv = tv;
        this.hold = hold;
    }

    /** Fails at once on every row: each execution pauses, holding its locks. */
    private static final class Down implements RowBuilder {
        @Override
        public List<Object> build(BuildContext ctx, long row) {
            throw new IllegalStateException("service down");
        }
    }

    void run(Report report) throws Exception {
        Path script = tv != null ? tv : findTv();
        Path dir = BenchDirs.create("tv-bench-p9c-");
        try (Vault v = ExecSetup.create(dir.resolve("vault"), Durability.NONE, Map.of("down", new Down()))) {
            progress("P9c: pausing " + processes + " executions");
            prepare(v, processes);
            if (hold) {
                progress("P9c: vault " + dir.resolve("vault") + " is open with " + processes
                        + " paused processes; press Enter to go on");
                System.in.read();
            }
            double[] secs = new double[runs];
            for (int r = -1; r < runs; r++) {
                double s = psOnce(script, dir.resolve("vault"), processes);
                if (r >= 0) {
                    secs[r] = s;
                }
                progress("P9c run " + (r < 0 ? "(not counted)" : r + 1) + ": " + fmt(s * 1000, 0) + " ms");
            }
            double m = median(secs);
            report.line("### P9c: `tv ps` on a vault with " + processes + " active processes").line("");
            report.line("`" + (tv == null ? "tools/tv" : tv.toString()) + " --vault V ps`, a new OS process per run, timed"
                    + " from its start to its exit; the vault's owner (this JVM) keeps it open, so `ps` answers"
                    + " from the board. One run first, not counted.").line("");
            report.row("P9c", "median s", "runs (s)").row("---", "---:", "---");
            report.row("tv ps, " + processes + " processes", fmt(m, 3), Report.join(secs, 3));
            report.line("").line("P9c (target ≤ " + fmt(TARGET_SECONDS, 1) + " s from process start): **"
                    + fmt(m, 3) + " s**, " + Report.verdict(m <= TARGET_SECONDS) + ".").line("");
        } finally {
            BenchDirs.deleteRecursively(dir);
        }
    }

    /** {@code n} executions, one version each, each paused at row 0 of its column (caller ids, so they pause). */
    static void prepare(Vault v, int n) {
        v.createTable(T, TableOptions.defaults().multipleArtifacts(true));
        for (int i = 0; i < n; i++) {
            String version = "v" + i;
            v.createInstance(T, InstanceOptions.defaults().version(version));
            v.putBuilder(T, version, ExecSetup.index(1, null), OpOptions.defaults());
            v.putBuilder(T, version, ExecSetup.column("n", "down", Map.of("n", "long"), null), OpOptions.defaults());
            try {
                v.executeInstance(T, ExecuteOptions.defaults().version(version).processId("p9c-" + i));
                throw new IllegalStateException("execution " + i + " did not pause");
            } catch (IllegalStateException e) {
                if (!"service down".equals(e.getMessage())) {
                    throw e;
                }
            }
        }
    }

    /** One {@code tv ps}: seconds from start to exit; checks that it answered from the board with every process. */
    private static double psOnce(Path script, Path vault, int n) throws IOException, InterruptedException {
        Path out = Files.createTempFile("p9c-", ".out");
        Path err = Files.createTempFile("p9c-", ".err");
        try {
            ProcessBuilder pb = new ProcessBuilder(List.of(script.toString(), "--vault", vault.toString(), "ps"))
                    .redirectOutput(out.toFile()).redirectError(err.toFile());
            long t0 = System.nanoTime();
            Process p = pb.start();
            if (!p.waitFor(2, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IllegalStateException("tv ps did not end in 2 minutes");
            }
            double s = (System.nanoTime() - t0) / 1e9;
            List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
            String errText = Files.readString(err, StandardCharsets.UTF_8);
            // Table rows only: the lines under the table that name each paused process start with its id too.
            long listed = lines.stream().filter(l -> l.matches("p9c-\\d+ +executeInstance .*")).count();
            if (p.exitValue() != 0 || listed != n || errText.contains("read from the store")) {
                throw new IllegalStateException("tv ps exited " + p.exitValue() + " listing " + listed + " of " + n
                        + " processes; stderr: " + errText);
            }
            return s;
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** {@code tools/tv} in the checkout: the working directory or one of its parents holds it. */
    private static Path findTv() {
        List<Path> tried = new ArrayList<>();
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path s = d.resolve("tools").resolve("tv");
            if (Files.isExecutable(s) && Files.exists(d.resolve("tools/target/tv.jar"))) {
                return s;
            }
            tried.add(s);
        }
        throw new IllegalStateException("no tools/tv with a built tools/target/tv.jar in " + tried
                + "; build it (./mvnw -B -pl tools -am package -DskipTests) or pass --p9c-tv");
    }
}
