package dev.tablevault.bench;

import dev.tablevault.api.BuilderSpec;
import dev.tablevault.api.ColumnType;
import dev.tablevault.api.Durability;
import dev.tablevault.api.Frame;
import dev.tablevault.api.InstanceOptions;
import dev.tablevault.api.OpOptions;
import dev.tablevault.api.TableOptions;
import dev.tablevault.api.Vault;
import dev.tablevault.api.VaultOptions;
import dev.tablevault.api.WriteOptions;
import dev.tablevault.engine.TableVault;
import dev.tablevault.engine.board.Board;
import dev.tablevault.engine.remote.VaultServer;
import dev.tablevault.engine.store.rocks.RocksBackend;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * PV5: opening a small vault (3 tables, each with 2 instances of 100 written rows and a temporary instance with an
 * index builder: 21 finished processes). Targets: a plain {@code TableVault.open} at most 10 ms, {@code restart(true)} with nothing
 * to do at most 15 ms (warm JVM, engine loaded); the first open in a fresh JVM, native library load included, is
 * reported on its own.
 *
 * <p>Warm part: after {@code --warmup} rounds, {@code --opens} rounds each open and close the vault once per way
 * below, interleaved so that every way sees the same machine load; each open and each close is timed on its
 * own, with the CPU time of the calling thread (which a busy machine distorts less than the wall time). The ways: plain; {@code restart(true)}; read-only; {@code board(false)}; raw RocksDB with the engine's
 * options ({@link RocksBackend#dbOptions}) and families; {@link RocksBackend#open} alone (RocksDB plus the durable
 * mark and loss checks and the sync thread); the live board alone ({@link Board#open}); the owner's socket server alone
 * ({@link VaultServer#start}, on a socket of its own). What the vault itself adds (catalog state, locks, board
 * entries, the owner file) is the plain open less the store, board and server.
 *
 * <p>Fresh part: {@code --fresh} child JVMs each open the vault once ({@code --child DIR}); each reports the time
 * from its JVM's start to {@code main}, the class initialisation of {@link RocksBackend} (which loads RocksDB's
 * native library), the first open and close and a second open; the parent times each child from start to exit.
 *
 * <pre>
 * ./mvnw -B -pl bench -am package exec:exec -DskipTests -Dbench.main=dev.tablevault.bench.PV5OpenBench \
 *     [-Dbench.args="--opens 60 --warmup 20 --fresh 5"]
 * </pre>
 */
public final class PV5OpenBench {
    private static final List<String> FAMILIES = List.of("default", "meta", "proc", "locks", "data");
    private static final String CHILD_PREFIX = "PV5 ";

    private int opens = 60;
    private int warmup = 20;
    private int fresh = 5;

    private interface Step {
        void run() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals("--child")) {
            child(Path.of(args[1]));
            return;
        }
        PV5OpenBench b = new PV5OpenBench();
        CliArgs.parseOrExit(() -> b.parse(args));
        JvmFlags.warnIfWrong();
        System.out.print(b.run());
    }

    private void parse(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--opens" -> opens = CliArgs.positive(a, CliArgs.value(args, ++i));
                case "--warmup" -> warmup = CliArgs.positive(a, CliArgs.value(args, ++i));
                case "--fresh" -> fresh = CliArgs.positive(a, CliArgs.value(args, ++i));
                default -> throw new IllegalArgumentException("unknown option " + a
                        + " (known: --opens --warmup --fresh)");
            }
        }
    }

    private String run() throws Exception {
        Report r = new Report().header("PV5: opening a small vault", false);
        Path root = BenchDirs.create("pv5");
        try {
            Path dir = root.resolve("v");
            build(dir);
            r.line("- vault: 3 tables, each with 2 instances of 100 written rows and a temporary instance with an"
                    + " index builder (21 finished processes); load average before: " + Report.loadAverage());
            r.line("- " + opens + " measured rounds after " + warmup + " warm-up rounds; every way once per round,"
                    + " interleaved; " + fresh + " fresh JVMs");
            r.line("");
            Map<String, long[][]> times = warm(dir, root);
            r.line("| way | open median (ms) | open p90 | close median (ms) | close p90 | open + close median |"
                    + " CPU of the calling thread, open + close (median) |");
            r.line("|---|---|---|---|---|---|---|");
            for (Map.Entry<String, long[][]> e : times.entrySet()) {
                long[] open = e.getValue()[0];
                long[] close = e.getValue()[1];
                long[] both = new long[open.length];
                for (int i = 0; i < open.length; i++) {
                    both[i] = open[i] + close[i];
                }
                r.line("| " + e.getKey() + " | " + ms(pct(open, 50)) + " | " + ms(pct(open, 90)) + " | "
                        + ms(pct(close, 50)) + " | " + ms(pct(close, 90)) + " | " + ms(pct(both, 50)) + " | "
                        + ms(pct(e.getValue()[2], 50)) + " |");
            }
            r.line("");
            r.line("- WAL files in db/ after the warm part: " + walFiles(dir) + "; load average after: "
                    + Report.loadAverage());
            r.line("");
            fresh(dir, r);
            r.line("");
            double plain = pct(times.get("plain")[0], 50) / 1e6;
            double restart = pct(times.get("restart(true)")[0], 50) / 1e6;
            r.line("PV5 (plain open ≤ 10 ms, restart(true) with nothing to do ≤ 15 ms): plain " + fmt(plain) + " ms "
                    + (plain <= 10 ? "**met**" : "**missed**") + ", restart " + fmt(restart) + " ms "
                    + (restart <= 15 ? "**met**" : "**missed**") + ".");
            return r.toString();
        } finally {
            BenchDirs.deleteRecursively(root);
        }
    }

    /** The small vault: 3 tables, each with 2 instances of 100 rows and a temporary instance with a builder. */
    private static void build(Path dir) {
        try (Vault v = TableVault.open(dir, VaultOptions.defaults().author("bench").create(true))) {
            for (int t = 0; t < 3; t++) {
                String table = "t" + t;
                v.createTable(table, TableOptions.defaults());
                for (int i = 0; i < 2; i++) {
                    v.createInstance(table, InstanceOptions.defaults().externalEdit(true));
                    Frame.Builder f = Frame.builder().column("id", ColumnType.LONG).column("s", ColumnType.STRING);
                    for (long row = 0; row < 100; row++) {
                        f.row(row, "row " + row);
                    }
                    v.writeInstance(table, f.build(), WriteOptions.defaults());
                }
                v.createInstance(table, InstanceOptions.defaults().version("next"));
                v.putBuilder(table, "next", BuilderSpec.fromYaml("name: " + table + "_index\ntype: index\n"
                        + "builder: range\nchangedColumns: [id]\ntypes: {id: long}\narguments: {count: 100}\n"),
                        OpOptions.defaults());
            }
        }
    }

    private Map<String, long[][]> warm(Path dir, Path root) throws Exception {
        VaultOptions plain = VaultOptions.defaults().author("bench");
        Path db = dir.resolve("db");
        Path socket = root.resolve("server.sock");
        Map<String, Step[]> ways = new LinkedHashMap<>();
        Vault[] held = new Vault[1];
        RocksBackend[] store = new RocksBackend[1];
        Board[] board = new Board[1];
        VaultServer[] server = new VaultServer[1];
        RocksDB[] raw = new RocksDB[1];
        List<AutoCloseable> rawParts = new ArrayList<>();
        ways.put("plain", new Step[] {() -> held[0] = TableVault.open(dir, plain), () -> held[0].close()});
        ways.put("restart(true)", new Step[] {() -> held[0] = TableVault.open(dir, plain.restart(true)),
            () -> held[0].close()});
        ways.put("read-only", new Step[] {() -> held[0] = TableVault.open(dir, plain.readOnly(true)),
            () -> held[0].close()});
        ways.put("board(false)", new Step[] {() -> held[0] = TableVault.open(dir, plain.board(false)),
            () -> held[0].close()});
        ways.put("raw RocksDB, engine options", new Step[] {() -> raw[0] = openRaw(db, rawParts), () -> {
            raw[0].close();
            for (AutoCloseable c : rawParts) {
                c.close();
            }
            rawParts.clear();
        }});
        ways.put("RocksBackend.open (RocksDB + mark, loss check, sync thread)", new Step[] {
            () -> store[0] = RocksBackend.open(db, new RocksBackend.Opening(false, false, Durability.SYNC, 5, "bench",
                    false, false)), () -> store[0].close()});
        ways.put("board alone (Board.open)", new Step[] {() -> board[0] = Board.open(dir, Clock.systemUTC()),
            () -> board[0].close()});
        Vault reader = TableVault.open(dir, plain.readOnly(true));
        try {
            ways.put("socket server alone (VaultServer.start)", new Step[] {
                () -> server[0] = VaultServer.start(socket, reader, TableVault.FORMAT_VERSION, (c, call) -> call.get()),
                () -> server[0].close()});
            Map<String, long[][]> out = new LinkedHashMap<>();
            ways.keySet().forEach(k -> out.put(k, new long[][] {new long[opens], new long[opens], new long[opens]}));
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            for (int round = -warmup; round < opens; round++) {
                for (Map.Entry<String, Step[]> w : ways.entrySet()) {
                    long cpu0 = threads.getCurrentThreadCpuTime();
                    long t0 = System.nanoTime();
                    w.getValue()[0].run();
                    long t1 = System.nanoTime();
                    w.getValue()[1].run();
                    long t2 = System.nanoTime();
                    long cpu1 = threads.getCurrentThreadCpuTime();
                    if (round >= 0) {
                        long[][] t = out.get(w.getKey());
                        t[0][round] = t1 - t0;
                        t[1][round] = t2 - t1;
                        t[2][round] = cpu1 - cpu0;
                    }
                }
            }
            return out;
        } finally {
            reader.close();
        }
    }

    private static RocksDB openRaw(Path db, List<AutoCloseable> parts) throws Exception {
        DBOptions o = RocksBackend.dbOptions(db, false);
        ColumnFamilyOptions cfo = new ColumnFamilyOptions();
        List<ColumnFamilyDescriptor> descs = new ArrayList<>();
        for (String f : FAMILIES) {
            descs.add(new ColumnFamilyDescriptor(f.getBytes(StandardCharsets.UTF_8), cfo));
        }
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        RocksDB r = RocksDB.open(o, db.toString(), descs, handles);
        parts.addAll(handles);
        parts.add(cfo);
        parts.add(o);
        return r;
    }

    private void fresh(Path dir, Report r) throws Exception {
        List<Map<String, Double>> runs = new ArrayList<>();
        for (int i = 0; i < fresh; i++) {
            List<String> cmd = new ArrayList<>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            cmd.addAll(JvmFlags.ALL);
            cmd.add("-cp");
            cmd.add(System.getProperty("java.class.path"));
            cmd.add(PV5OpenBench.class.getName());
            cmd.add("--child");
            cmd.add(dir.toString());
            long t0 = System.nanoTime();
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            Map<String, Double> values = new LinkedHashMap<>();
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    if (line.startsWith(CHILD_PREFIX)) {
                        String[] kv = line.substring(CHILD_PREFIX.length()).split("=", 2);
                        values.put(kv[0], Double.parseDouble(kv[1]));
                    }
                }
            }
            if (p.waitFor() != 0) {
                throw new IllegalStateException("fresh JVM " + i + " exited with " + p.exitValue());
            }
            values.put("whole process, start to exit (parent's clock)", (System.nanoTime() - t0) / 1e6);
            runs.add(values);
        }
        r.line("Fresh JVM, first open (median of " + fresh + " child JVMs, ms):").line("");
        r.line("| phase | median | runs |");
        r.line("|---|---|---|");
        for (String k : runs.get(0).keySet()) {
            double[] v = runs.stream().mapToDouble(m -> m.get(k)).sorted().toArray();
            StringBuilder all = new StringBuilder();
            for (Map<String, Double> m : runs) {
                all.append(all.length() == 0 ? "" : " / ").append(fmt(m.get(k)));
            }
            r.line("| " + k + " | " + fmt(v[v.length / 2]) + " | " + all + " |");
        }
    }

    /** In a fresh JVM: times the engine's first open of {@code dir}, native library load included. */
    private static void child(Path dir) throws Exception {
        long main = System.currentTimeMillis();
        long t0 = System.nanoTime();
        Class.forName(RocksBackend.class.getName()); // its static initializer loads RocksDB's native library
        long t1 = System.nanoTime();
        Vault v = TableVault.open(dir, VaultOptions.defaults().author("bench"));
        long t2 = System.nanoTime();
        v.close();
        long t3 = System.nanoTime();
        Vault again = TableVault.open(dir, VaultOptions.defaults().author("bench"));
        long t4 = System.nanoTime();
        again.close();
        put("JVM start to main", main - ManagementFactory.getRuntimeMXBean().getStartTime());
        put("RocksBackend class init (native library load)", (t1 - t0) / 1e6);
        put("first open (library loaded)", (t2 - t1) / 1e6);
        put("first close", (t3 - t2) / 1e6);
        put("first open, library load included", (t2 - t0) / 1e6);
        put("second open", (t4 - t3) / 1e6);
    }

    private static void put(String key, double value) {
        System.out.println(CHILD_PREFIX + key + "=" + value);
    }

    private static long pct(long[] v, int p) {
        long[] s = v.clone();
        java.util.Arrays.sort(s);
        return s[Math.min(s.length - 1, s.length * p / 100)];
    }

    private static String ms(long nanos) {
        return fmt(nanos / 1e6);
    }

    private static String fmt(double ms) {
        return String.format(java.util.Locale.ROOT, "%.2f", ms);
    }

    private static long walFiles(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir.resolve("db"))) {
            return s.filter(f -> f.getFileName().toString().endsWith(".log")).count();
        }
    }
}
