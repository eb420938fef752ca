package dev.tablevault.bench;

import dev.tablevault.api.Durability;
import dev.tablevault.api.ExecuteOptions;
import dev.tablevault.api.InstanceOptions;
import dev.tablevault.api.OpOptions;
import dev.tablevault.api.RowBuilder;
import dev.tablevault.api.TableOptions;
import dev.tablevault.api.Vault;
import dev.tablevault.api.VaultOptions;
import dev.tablevault.arrow.SqlOptions;
import dev.tablevault.arrow.VaultSql;
import dev.tablevault.engine.TableVault;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.tablevault.bench.ExecSetup.T;
import static dev.tablevault.bench.ExecSetup.progress;
import static dev.tablevault.bench.Report.fmt;
import static dev.tablevault.bench.Report.median;

/**
 * P11, SQL over a vault: {@code SELECT k, count(*), sum(v) FROM t GROUP BY k} over N rows (k LONG with 1,000
 * groups, v DOUBLE, and a LONG, a STRING and the index id besides) through {@link VaultSql} on the vault opened
 * read-only, against DuckDB running the same query on a Parquet file of the same data that DuckDB wrote (from the
 * same values with its range(), default Parquet options). Each side starts a fresh in-memory DuckDB per run, as
 * {@code tv sql} does; one warm-up run each, then interleaved rounds, median wall time (and the process's CPU time,
 * which a loaded machine disturbs less). Target: VaultSql within 2x.
 *
 * <pre>
 * ./mvnw -B -o -pl bench -am package exec:exec -DskipTests -Dbench.main=dev.tablevault.bench.P11SqlBench \
 *     -Dbench.args="--rows 10000000 --rounds 5"
 * </pre>
 */
public final class P11SqlBench {
    static final double TARGET = 2.0;
    static final String QUERY = "SELECT k, count(*), sum(v) FROM t GROUP BY k";
    private static final RowBuilder ROW = (ctx, row) -> List.of(row % 1000, row * 0.5, row * 31, "s" + row);

    private final int rows;
    private final int rounds;

    P11SqlBench(int rows, int rounds) {
        this.rows = rows;
        this.rounds = rounds;
    }

    public static void main(String[] args) throws Exception {
        int rows = 10_000_000;
        int rounds = 5;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rows" -> rows = CliArgs.positive(args[i], CliArgs.value(args, ++i));
                case "--rounds" -> rounds = CliArgs.positive(args[i], CliArgs.value(args, ++i));
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + " (options: --rows N, --rounds N)");
            }
        }
        Report report = new Report();
        new P11SqlBench(rows, rounds).run(report);
        System.out.println(report);
    }

    void run(Report report) throws Exception {
        Path dir = BenchDirs.create("tv-bench-p11-");
        try (BufferAllocator allocator = new RootAllocator()) {
            Path vaultDir = dir.resolve("vault");
            Path parquet = dir.resolve("t.parquet");
            progress("P11 building " + rows + " rows");
            long t0 = System.nanoTime();
            try (Vault v = ExecSetup.create(vaultDir, Durability.NONE, Map.of("row", ROW))) {
                v.createTable(T, TableOptions.defaults());
                v.createInstance(T, InstanceOptions.defaults());
                v.putBuilder(T, "base", ExecSetup.index(rows, null), OpOptions.defaults());
                Map<String, String> cols = new LinkedHashMap<>();
                cols.put("k", "long");
                cols.put("v", "double");
                cols.put("a", "long");
                cols.put("s", "string");
                v.putBuilder(T, "base", ExecSetup.column("row", "row", cols, null), OpOptions.defaults());
                v.executeInstance(T, ExecuteOptions.defaults());
                v.renameTable(T, "t", OpOptions.defaults());
            }
            long buildNanos = System.nanoTime() - t0;
            try (Vault v = TableVault.open(vaultDir, VaultOptions.defaults().readOnly(true))) {
                writeParquet(parquet, rows);
                progress("P11 parquet " + Files.size(parquet) / 1_000_000 + " MB; warm-up");
                double check = ours(v, allocator);
                if (check != theirs(parquet)) {
                    throw new IllegalStateException("the two sides disagree: " + check + " vs " + theirs(parquet));
                }
                double[] ours = new double[rounds];
                double[] theirs = new double[rounds];
                double[] oursCpu = new double[rounds];
                double[] theirsCpu = new double[rounds];
                for (int r = 0; r < rounds; r++) {
                    ExecSetup.quiesce();
                    long a = System.nanoTime();
                    long ac = cpu();
                    ours(v, allocator);
                    ours[r] = (System.nanoTime() - a) / 1e6;
                    oursCpu[r] = (cpu() - ac) / 1e6;
                    ExecSetup.quiesce();
                    long b = System.nanoTime();
                    long bc = cpu();
                    theirs(parquet);
                    theirs[r] = (System.nanoTime() - b) / 1e6;
                    theirsCpu[r] = (cpu() - bc) / 1e6;
                    progress("P11 round " + (r + 1) + ": VaultSql " + fmt(ours[r], 0) + " ms, DuckDB on Parquet "
                            + fmt(theirs[r], 0) + " ms");
                }
                double ratio = median(ours) / median(theirs);
                report.line("### P11: SQL aggregate over a vault").line("");
                report.line("`" + QUERY + "` over " + fmt(rows, 0) + " rows (k LONG, 1,000 groups; v DOUBLE; a LONG;"
                        + " s STRING; id LONG), vault built by one execute in " + fmt(buildNanos / 1e9, 1) + " s and"
                        + " opened read-only; Parquet of the same values written by DuckDB ("
                        + fmt(Files.size(parquet) / 1e6, 0) + " MB). Fresh in-memory DuckDB per run on both sides; "
                        + rounds + " interleaved rounds after one warm-up each.").line("");
                report.line("| | median ms | runs (ms) | median process CPU ms |").line("|---|---:|---|---:|");
                report.line("| VaultSql (`tv sql`) | " + fmt(median(ours), 0) + " | " + Report.join(ours, 0) + " | "
                        + fmt(median(oursCpu), 0) + " |");
                report.line("| DuckDB on Parquet | " + fmt(median(theirs), 0) + " | " + Report.join(theirs, 0)
                        + " | " + fmt(median(theirsCpu), 0) + " |");
                report.line("").line("Ratio " + fmt(ratio, 2) + "x (target <= " + fmt(TARGET, 1) + "x): "
                        + Report.verdict(ratio <= TARGET) + "; CPU ratio " + fmt(median(oursCpu)
                        / median(theirsCpu), 2) + "x. Load average at the end: "
                        + fmt(ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), 1) + ".");
            }
        } finally {
            BenchDirs.deleteRecursively(dir);
        }
    }

    /** CPU time of this JVM, every thread (DuckDB's native ones included), in nanoseconds. */
    private static long cpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** Runs the query through VaultSql and returns the sum of the sums, to check against DuckDB's. */
    private static double ours(Vault v, BufferAllocator allocator) throws Exception {
        double total = 0;
        try (ArrowReader r = VaultSql.query(v, QUERY, SqlOptions.defaults(), allocator)) {
            while (r.loadNextBatch()) {
                var sums = (org.apache.arrow.vector.Float8Vector) r.getVectorSchemaRoot().getVector(2);
                for (int i = 0; i < sums.getValueCount(); i++) {
                    total += sums.get(i);
                }
            }
        }
        return total;
    }

    private static double theirs(Path parquet) throws Exception {
        double total = 0;
        try (var c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(QUERY.replace("FROM t", "FROM read_parquet('" + parquet + "')"))) {
            while (rs.next()) {
                total += rs.getDouble(3);
            }
        }
        return total;
    }

    /** The vault's rows, made by DuckDB itself: id, k = id % 1000, v = id * 0.5, a = id * 31, s = 's' || id. */
    private static void writeParquet(Path parquet, int rows) throws Exception {
        try (var c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            s.execute("COPY (SELECT i AS id, i % 1000 AS k, i * 0.5 AS v, i * 31 AS a, 's' || i AS s FROM range("
                    + rows + ") r(i)) TO '" + parquet + "' (FORMAT parquet)");
        }
    }
}
