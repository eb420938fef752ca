package dev.tablevault.bench;

import dev.tablevault.api.Durability;
import dev.tablevault.api.ExecuteOptions;
import dev.tablevault.api.GeneratorBuilder;
import dev.tablevault.api.InstanceOptions;
import dev.tablevault.api.OpOptions;
import dev.tablevault.api.TableOptions;
import dev.tablevault.api.Vault;
import dev.tablevault.api.VaultOptions;
import dev.tablevault.arrow.ArrowExport;
import dev.tablevault.arrow.ArrowSnapshot;
import dev.tablevault.arrow.VaultArrow;
import dev.tablevault.engine.TableVault;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.duckdb.DuckDBResultSet;

import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Map;

import static dev.tablevault.bench.ExecSetup.T;
import static dev.tablevault.bench.ExecSetup.progress;
import static dev.tablevault.bench.Report.fmt;
import static dev.tablevault.bench.Report.median;

/**
 * P10, export: an instance of N rows x 5 columns (id LONG, d DOUBLE, s STRING, b BOOLEAN, t TIMESTAMP) written to
 * an Arrow IPC file and to a Parquet file through {@link ArrowExport} (a read-only open, as {@code tv export}), in
 * rows/s, against DuckDB writing the same values from its own memory (a table made with {@code range()}): Parquet
 * by {@code COPY}, Arrow IPC through DuckDB's Arrow stream and Arrow's file writer (DuckDB writes Arrow IPC files
 * only with an extension it would download). No target; the ratio is reported. Rounds interleave the four writers;
 * median. Each file is then read back by the other side's reader (ours by DuckDB and Arrow's file reader) and every
 * value checked against the one generated from its row's id: the 10M-row round trip.
 *
 * <pre>
 * ./mvnw -B -pl bench -am package exec:exec -DskipTests -Dbench.main=dev.tablevault.bench.P10ExportBench \
 *     -Dbench.args="--rows 10000000 --rounds 3"
 * </pre>
 */
final class P10ExportBench {
    private static final long EPOCH = 1_700_000_000L;

    /** The four columns after the index, for row {@code r}; DuckDB's table holds the same. */
    static final GeneratorBuilder FOUR = (ctx, firstRow, sink) -> {
        for (long r = firstRow; r < ctx.rowCount(); r++) {
            sink.accept(List.of(r * 0.5, "s" + r, r % 2 == 0, Instant.ofEpochSecond(EPOCH + r, 123)));
        }
    };

    private final long rows;
    private final int rounds;

    private P10ExportBench(long rows, int rounds) {
        this.rows = rows;
        this.rounds = rounds;
    }

    public static void main(String[] args) throws Exception {
        long rows = 10_000_000;
        int rounds = 3;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rows" -> rows = CliArgs.positive(args[i], CliArgs.value(args, ++i));
                case "--rounds" -> rounds = CliArgs.positive(args[i], CliArgs.value(args, ++i));
                default -> throw new IllegalArgumentException("unknown option " + args[i] + " (--rows N --rounds R)");
            }
        }
        JvmFlags.warnIfWrong();
        Report report = new Report().header("P10ExportBench results", true);
        try (BackgroundLoad others = new BackgroundLoad()) {
            BackgroundLoad.Mark mark = others.mark();
            new P10ExportBench(rows, rounds).run(report);
            report.line("_Other processes during P10: " + others.since(mark) + "._");
        }
        System.out.println(report);
    }

    void run(Report report) throws Exception {
        Path dir = BenchDirs.create("tv-bench-p10-");
        try {
            Path vaultDir = dir.resolve("vault");
            progress("P10 building " + rows + " rows x 5 columns");
            long t0 = System.nanoTime();
            try (Vault v = ExecSetup.create(vaultDir, Durability.NONE, Map.of("four", FOUR))) {
                v.createTable(T, TableOptions.defaults());
                v.createInstance(T, InstanceOptions.defaults());
                v.putBuilder(T, "base", ExecSetup.index(rows, "generator"), OpOptions.defaults());
                v.putBuilder(T, "base", dev.tablevault.api.BuilderSpec.fromYaml("name: four\ntype: column\n"
                        + "builder: four\nmode: generator\nchangedColumns: [d, s, b, t]\n"
                        + "types: {d: double, s: string, b: boolean, t: timestamp}\ndependencies: [" + ExecSetup.INDEX
                        + "]\n"), OpOptions.defaults());
                v.executeInstance(T, ExecuteOptions.defaults());
            }
            double build = (System.nanoTime() - t0) / 1e9;
            progress("P10 built in " + fmt(build, 1) + " s; DuckDB's table");
            String[] labels = {"TableVault -> Arrow IPC (ArrowExport.arrow)", "DuckDB -> Arrow IPC (its Arrow"
                    + " stream, Arrow's file writer)", "TableVault -> Parquet (ArrowExport.parquet: DuckDB COPY from"
                    + " our Arrow stream)", "DuckDB -> Parquet (COPY from its table)"};
            double[][] rate = new double[4][rounds];
            long[] bytes = new long[4];
            try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
                 Statement st = duck.createStatement();
                 Vault v = TableVault.open(vaultDir, VaultOptions.defaults().readOnly(true))) {
                st.execute("CREATE TABLE src AS SELECT range AS id, range::DOUBLE * 0.5 AS d, 's' || range AS s,"
                        + " range % 2 = 0 AS b, make_timestamp_ns((" + EPOCH + " + range) * 1000000000 + 123)"
                        + "::TIMESTAMPTZ_NS AS t FROM range(" + rows + ")");
                for (int r = -1; r < rounds; r++) {
                    for (int k = 0; k < 4; k++) {
                        Path out = dir.resolve("out-" + k + (k < 2 ? ".arrow" : ".parquet"));
                        Files.deleteIfExists(out);
                        ExecSetup.quiesce();
                        long s = System.nanoTime();
                        switch (k) {
                            case 0 -> {
                                try (ArrowSnapshot snap = VaultArrow.snapshot(v);
                                     OutputStream o = new BufferedOutputStream(Files.newOutputStream(out), 1 << 16)) {
                                    ArrowExport.arrow(snap, T, null, null, o, null);
                                }
                            }
                            case 1 -> duckArrow(st, out);
                            case 2 -> {
                                try (ArrowSnapshot snap = VaultArrow.snapshot(v)) {
                                    ArrowExport.parquet(snap, T, null, null, out, null);
                                }
                            }
                            default -> st.execute("COPY src TO '" + out + "' (FORMAT parquet)");
                        }
                        double secs = (System.nanoTime() - s) / 1e9;
                        if (r >= 0) {
                            rate[k][r] = rows / secs;
                        }
                        bytes[k] = Files.size(out);
                        if (r == -1) {
                            check(st, out, k);
                        }
                    }
                    if (r >= 0) {
                        progress("P10 round " + (r + 1) + ": " + Report.join(new double[] {rate[0][r], rate[1][r],
                                rate[2][r], rate[3][r]}, 0) + " rows/s");
                    }
                }
                try (ResultSet rs = st.executeQuery("SELECT current_setting('threads')")) {
                    rs.next();
                    report.line("### P10: export " + rows + " rows x 5 columns").line("");
                    report.line("id LONG, d DOUBLE, s STRING (`s<row>`), b BOOLEAN, t TIMESTAMP (ns), built by one"
                            + " execute (" + fmt(build, 1) + " s), exported from a read-only open; DuckDB "
                            + rs.getString(1) + " threads, its table made with range(). One warm-up round (also"
                            + " the round trip check: every file read back by the other side's reader, every value"
                            + " equal to the generated one), then " + rounds + " interleaved rounds, median.").line("");
                }
            }
            report.line("| P10 writer | rows/s | s | file MB | rounds (rows/s) |");
            report.line("|---|---:|---:|---:|---|");
            for (int k = 0; k < 4; k++) {
                double m = median(rate[k]);
                report.row(labels[k], fmt(m, 0), fmt(rows / m, 2), fmt(bytes[k] / 1e6, 1), Report.join(rate[k], 0));
            }
            report.line("");
            report.line("P10 Arrow IPC: TableVault **" + fmt(median(rate[0]) / 1e6, 2) + "M rows/s**, **"
                    + fmt(median(rate[0]) / median(rate[1]), 2) + "x** DuckDB's; Parquet: **"
                    + fmt(median(rate[2]) / 1e6, 2) + "M rows/s**, **" + fmt(median(rate[2]) / median(rate[3]), 2)
                    + "x** DuckDB's").line("");
        } finally {
            BenchDirs.deleteRecursively(dir);
        }
    }

    /** DuckDB's table through its Arrow stream into an Arrow IPC file. */
    private static void duckArrow(Statement st, Path out) throws Exception {
        try (BufferAllocator a = new RootAllocator();
             ResultSet rs = st.executeQuery("SELECT * FROM src");
             ArrowReader r = (ArrowReader) rs.unwrap(DuckDBResultSet.class).arrowExportStream(a,
                     ArrowExport.BATCH_ROWS);
             FileChannel ch = FileChannel.open(out, java.nio.file.StandardOpenOption.CREATE,
                     java.nio.file.StandardOpenOption.WRITE);
             ArrowFileWriter w = new ArrowFileWriter(r.getVectorSchemaRoot(), null, Channels.newChannel(
                     new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16)))) {
            w.start();
            while (r.loadNextBatch()) {
                w.writeBatch();
            }
            w.end();
        }
    }

    /**
     * Reads {@code out} back with the other side's reader and checks every value: each id from 0 to N - 1 once, and
     * each row's other four values the ones generated from its id.
     */
    private void check(Statement st, Path out, int k) throws Exception {
        long n = rows;
        long[] got; // rows, distinct ids, smallest id, largest id, rows whose values differ from their id's
        if (k >= 2) {
            try (ResultSet rs = st.executeQuery("SELECT count(*), count(DISTINCT id), min(id), max(id), count(*) FILTER"
                    + " (WHERE d IS DISTINCT FROM id::DOUBLE * 0.5::DOUBLE OR s IS DISTINCT FROM 's' || id"
                    + " OR b IS DISTINCT FROM (id % 2 = 0) OR epoch_ns(t) IS DISTINCT FROM (" + EPOCH
                    + " + id) * 1000000000 + 123) FROM read_parquet('" + out + "')")) {
                rs.next();
                got = new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5)};
            }
        } else {
            got = new long[] {0, 0, Long.MAX_VALUE, Long.MIN_VALUE, 0};
            BitSet seen = new BitSet();
            try (BufferAllocator a = new RootAllocator();
                 ArrowFileReader r = new ArrowFileReader(Files.newByteChannel(out), a)) {
                VectorSchemaRoot root = r.getVectorSchemaRoot();
                while (r.loadNextBatch()) {
                    BigIntVector id = (BigIntVector) root.getVector("id");
                    Float8Vector d = (Float8Vector) root.getVector("d");
                    BitVector b = (BitVector) root.getVector("b");
                    TimeStampVector t = (TimeStampVector) root.getVector("t");
                    VarCharVector s = (VarCharVector) root.getVector("s");
                    for (int i = 0; i < root.getRowCount(); i++) {
                        long x = id.get(i);
                        got[0]++;
                        if (x >= 0 && x < Integer.MAX_VALUE && !seen.get((int) x)) {
                            seen.set((int) x);
                            got[1]++;
                        }
                        got[2] = Math.min(got[2], x);
                        got[3] = Math.max(got[3], x);
                        boolean same = !d.isNull(i) && d.get(i) == x * 0.5
                                && !b.isNull(i) && b.get(i) == (x % 2 == 0 ? 1 : 0)
                                && !t.isNull(i) && t.get(i) == (EPOCH + x) * 1_000_000_000L + 123
                                && !s.isNull(i) && new String(s.get(i), StandardCharsets.UTF_8).equals("s" + x);
                        if (!same) {
                            got[4]++;
                        }
                    }
                }
            }
        }
        long[] want = {n, n, n == 0 ? Long.MAX_VALUE : 0, n - 1, 0};
        if (k >= 2 && n == 0) {
            want[2] = 0; // DuckDB's min of nothing is NULL, read as 0
            want[3] = 0;
        }
        if (!Arrays.equals(got, want)) {
            throw new IllegalStateException("P10 round trip of " + out.getFileName() + ": rows, distinct ids, min,"
                    + " max, rows with other values " + Arrays.toString(got) + ", expected " + Arrays.toString(want));
        }
        progress("P10 round trip of " + out.getFileName() + " checked: " + (long) got[0] + " rows");
    }
}
