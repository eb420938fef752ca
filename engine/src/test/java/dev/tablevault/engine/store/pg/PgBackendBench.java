package dev.tablevault.engine.store.pg;

import dev.tablevault.api.Durability;
import dev.tablevault.engine.store.Keys;
import dev.tablevault.engine.store.Batch;
import dev.tablevault.engine.store.Family;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * A measurement, not a test: PgBackend's write latency and throughput against the throw-away test server, with the
 * floor (one autocommitted multi-row upsert through plain pgjdbc) side by side. Run from the engine module with the
 * test classpath: {@code java -cp <test classpath> dev.tablevault.engine.store.pg.PgBackendBench [seconds]}.
 */
public final class PgBackendBench {
    private static final byte[] VALUE = new byte[128];

    private PgBackendBench() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        String url = PgCluster.shared().database("bench");
        new Random(1).nextBytes(VALUE);
        try (PgBackend pg = PgBackend.open(url, true, false, Durability.SYNC, 16, PgBackend.DEFAULT_MAX_BATCH_BYTES);
             Connection raw = DriverManager.getConnection(url); Statement s = raw.createStatement()) {
            s.execute("INSERT INTO tv_runs (pid, state, owner_host, fence) VALUES ('bench', 'RUNNING', 'h', 1)");
            for (int round = 0; round < 2; round++) {
                System.out.printf("round %d, load %s%n", round, loadAverage());
                // interleaved, so that every kind sees the same load on a shared machine
                double[] p50 = interleaved(2000, i -> rawUpsert(raw, i), i -> pg.write(small(i, false)),
                        i -> pg.write(small(i, true)), i -> pg.write(checkpoint(i)));
                System.out.printf("  floor, one autocommitted 4-row upsert (plain pgjdbc): p50 %.3f ms%n", p50[0]);
                System.out.printf("  (a) small batch, 4 puts, SYNC: p50 %.3f ms (%.2fx the floor)%n", p50[1],
                        p50[1] / p50[0]);
                System.out.printf("  (a') the same with a fence check: p50 %.3f ms (%.2fx)%n", p50[2],
                        p50[2] / p50[0]);
                System.out.printf("  (b) checkpoint, fence + 8 DATA chunks of 8 KiB + 2 PROC puts: p50 %.3f ms"
                        + " (%.2fx)%n", p50[3], p50[3] / p50[0]);
                System.out.printf("  (c) 16 threads of (a) for %d s: %.0f ops/s%n", seconds, threads(pg, 16,
                        seconds));
            }
        }
    }

    private interface Op {
        void run(int i) throws Exception;
    }

    /** The p50 in milliseconds of each op, run in turn {@code n} times after {@code n / 10} warm-up turns. */
    private static double[] interleaved(int n, Op... ops) throws Exception {
        long[][] t = new long[ops.length][n];
        for (int i = -n / 10; i < n; i++) {
            for (int k = 0; k < ops.length; k++) {
                long start = System.nanoTime();
                ops[k].run(i);
                if (i >= 0) {
                    t[k][i] = System.nanoTime() - start;
                }
            }
        }
        double[] p50 = new double[ops.length];
        for (int k = 0; k < ops.length; k++) {
            Arrays.sort(t[k]);
            p50[k] = t[k][n / 2] / 1e6;
        }
        return p50;
    }

    private static Batch small(int i, boolean fenced) {
        Batch b = new Batch();
        if (fenced) {
            b.requireFence("bench", 1);
        }
        b.put(Family.PROC, Keys.process("p" + i), VALUE);
        b.put(Family.PROC, Keys.of("L", "p" + i, "1"), VALUE);
        b.put(Family.PROC, Keys.of("L", "p" + i, "2"), VALUE);
        b.put(Family.META, Keys.instance("t", "i" + i), VALUE);
        return b;
    }

    private static Batch checkpoint(int i) {
        Batch b = new Batch();
        b.requireFence("bench", 1);
        byte[] chunk = new byte[8192];
        new Random(i).nextBytes(chunk);
        for (int col = 0; col < 2; col++) {
            for (int c = 0; c < 4; c++) {
                b.put(Family.DATA, Keys.cell(1_000_000L + i, col, c), chunk);
            }
        }
        b.put(Family.PROC, Keys.of("L", "bench", Integer.toString(i)), VALUE);
        b.put(Family.PROC, Keys.process("bench"), VALUE);
        return b;
    }

    private static void rawUpsert(Connection c, int i) throws Exception {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO tv_proc (k, v) VALUES (?, ?), (?, ?), (?, ?),"
                + " (?, ?) ON CONFLICT (k) DO UPDATE SET v = excluded.v")) {
            for (int j = 0; j < 4; j++) {
                s.setBytes(2 * j + 1, Keys.of("raw", Integer.toString(i), Integer.toString(j)));
                s.setBytes(2 * j + 2, VALUE);
            }
            s.executeUpdate();
        }
    }

    private static double threads(PgBackend pg, int n, int seconds) throws InterruptedException {
        AtomicBoolean stop = new AtomicBoolean();
        LongAdder ops = new LongAdder();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < n; t++) {
            int base = 10_000_000 * (t + 1);
            Thread thread = new Thread(() -> {
                for (int i = base; !stop.get(); i++) {
                    pg.write(small(i, false));
                    ops.increment();
                }
            });
            threads.add(thread);
            thread.start();
        }
        long start = System.nanoTime();
        Thread.sleep(seconds * 1000L); // the measured interval, not a synchronization
        stop.set(true);
        for (Thread t : threads) {
            t.join();
        }
        return ops.sum() / ((System.nanoTime() - start) / 1e9);
    }

    private static String loadAverage() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }
}
