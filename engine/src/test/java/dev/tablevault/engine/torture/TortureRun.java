package dev.tablevault.engine.torture;

import dev.tablevault.api.Durability;
import dev.tablevault.api.Vault;
import dev.tablevault.engine.ChildJvm;
import dev.tablevault.engine.TestBackend;
import dev.tablevault.engine.TestVault;
import dev.tablevault.engine.torture.TortureOp.Outcome;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The parent of a torture run: prepares the shared table, then for each round starts a {@link TortureChild},
 * kills it ({@code kill -9}) once it acknowledged a seeded number of operations, checks every acknowledgement
 * against what the model allowed and applies it, reopens the vault with {@code restart(true)} and has a
 * {@link TortureChecker} settle the in-flight operations and compare everything. Stops at the first round with a
 * violation. Everything but thread timing follows from the seed.
 */
final class TortureRun {
    /** A child that has not acknowledged anything for this long is hung: a violation. */
    private static final long HANG_SECONDS = 120;

    /** What a run did. */
    record Figures(long seed, int kills, long acknowledged, long inFlight, long happened, List<String> violations,
                   long millis, long checkMillis, Map<String, Integer> outcomes) {
        String summary() {
            double secs = millis / 1000.0;
            return String.format("torture seed=%d kills=%d acknowledged=%d in-flight=%d (happened %d) violations=%d"
                    + " duration=%.1fs (checks %.1fs) ops/s=%.1f%nacknowledged outcomes: %s", seed, kills,
                    acknowledged, inFlight, happened, violations.size(), secs, checkMillis / 1000.0,
                    acknowledged / Math.max(secs, 0.001), outcomes);
        }
    }

    private final long seed;
    private final int threads;
    private final TestVault vault;
    private final Path flags;
    private final Path history;
    private final TortureModel m = new TortureModel();
    private final List<String> violations = new ArrayList<>();
    private final List<String> pending = new ArrayList<>();
    private final Map<String, Integer> outcomes = new TreeMap<>();
    private long acknowledged;
    private long inFlightOps;
    private long happened;
    private long checkNanos;
    private int round;

    TortureRun(long seed, int threads, Path work, TestBackend backend) {
        this.seed = seed;
        this.threads = threads;
        this.vault = backend.vault(work, "vault");
        this.flags = work.resolve("flags");
        this.history = work.resolve("history");
    }

    Figures run(int kills) throws IOException {
        long start = System.nanoTime();
        Files.createDirectories(flags);
        setUp();
        for (round = 0; round < kills && violations.isEmpty(); round++) {
            try {
                round();
            } catch (RuntimeException e) {
                // E.g. the reopen failing: reported with the seed like any violation.
                StringWriter trace = new StringWriter();
                e.printStackTrace(new PrintWriter(trace));
                check(false, trace.toString());
            }
        }
        return new Figures(seed, round, acknowledged, inFlightOps, happened, violations,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), TimeUnit.NANOSECONDS.toMillis(checkNanos),
                outcomes);
    }

    /**
     * The shared table: execution {@code held} paused for good (its flag file is never removed), whose locks
     * every thread's conflicting calls must meet, and {@code TEMP_common}, on which every thread puts the same
     * builder.
     */
    private void setUp() throws IOException {
        String s = TortureGenerator.SHARED;
        try (Vault v = vault.create(TortureChild.options(flags).durability(Durability.NONE))) {
            TortureCalls calls = new TortureCalls(v, m, flags);
            for (TortureOp op : List.of(TortureOp.of("createTable", s, 0, null),
                    TortureOp.of("createInstance", s, "held", 0, null, null),
                    TortureOp.of("putBuilder", s, "held", TortureSpecs.indexName(s), "I:0:50:0", null),
                    TortureOp.of("putBuilder", s, "held", "flaky", "F:h:5:held", null),
                    TortureOp.of("executeInstance", s, "held", 10, 0, "held"),
                    TortureOp.of("createInstance", s, "common", 0, null, null))) {
                acknowledge(op, calls.run(op), false);
            }
        }
        flush();
        check(m.paused.containsKey("held"), "setup: execution 'held' did not pause");
    }

    private void round() throws IOException {
        Random r = new Random(seed * 1_000_003L + round);
        long roundSeed = r.nextLong();
        Durability d = r.nextInt(10) < 6 ? Durability.NONE : r.nextInt(2) == 0 ? Durability.GROUPED : Durability.SYNC;
        int acks = r.nextInt(60);
        Map<Integer, TortureOp> inFlight = new TreeMap<>();
        Set<String> pids = new HashSet<>(m.paused.keySet());
        try (ChildJvm child = ChildJvm.start(TortureChild.class, vault.location(), vault.dir().toString(),
                flags.toString(), history.toString(), Long.toString(roundSeed), Integer.toString(round),
                Integer.toString(threads), d.name())) {
            AtomicBoolean hung = new AtomicBoolean();
            Thread watchdog = watch(child, hung);
            int seen = 0;
            boolean killed = false;
            for (String line = child.nextLine(); line != null; line = child.nextLine()) {
                if (line.startsWith("READY") && acks == 0 || line.startsWith("A ") && ++seen >= acks && !killed) {
                    // SIGKILL through the handle: Process.destroyForcibly would also close the pipe, losing the
                    // lines the child wrote before it died, which are still to be read.
                    child.process().toHandle().destroyForcibly();
                    killed = true;
                }
                if (line.startsWith("B ") || line.startsWith("A ") || line.startsWith("V ")) {
                    journal(line, inFlight, pids);
                }
            }
            watchdog.interrupt();
            if (!killed || hung.get()) {
                check(false, "the child " + (hung.get() ? "hung" : "ended by itself (exit " + child.kill() + ")")
                        + "; its output:\n" + tail(child.output()));
            }
        }
        long checkStart = System.nanoTime();
        vault.awaitNoLiveLease();
        try (Vault v = vault.open(TortureChild.options(flags).restart(true).durability(Durability.NONE))) {
            TortureChecker c = new TortureChecker(v, m, flags, x -> check(false, x), (op, o) -> {
                happened += op.settledOnly() ? 0 : 1;
                acknowledge(op, o, true);
            });
            inFlightOps += inFlight.values().stream().filter(op -> !op.readOnly()).count();
            inFlight.values().forEach(c::settle);
            c.settleRestarted();
            c.compare(pids);
        }
        checkNanos += System.nanoTime() - checkStart;
        flush();
    }

    /** One line of the child's journal. */
    private void journal(String line, Map<Integer, TortureOp> inFlight, Set<String> pids) {
        if (line.startsWith("V ")) {
            check(false, "the child reports: " + line.substring(2));
            return;
        }
        int sp = line.indexOf(' ', 2);
        int thread = Integer.parseInt(line.substring(2, sp));
        String rest = line.substring(sp + 1);
        if (line.startsWith("B ")) {
            TortureOp op = TortureOp.parse(rest);
            inFlight.put(thread, op);
            if (op.pid() != null) {
                pids.add(op.pid());
            }
            if (op.kind().equals("resume") || op.kind().equals("stop")) {
                pids.add(op.arg(0));
            }
        } else {
            TortureOp op = inFlight.remove(thread);
            Outcome o = Outcome.parse(rest);
            acknowledge(op, o, false);
            acknowledged++;
            outcomes.merge(op.kind() + " " + o.shape(), 1, Integer::sum);
        }
    }

    /** Checks an outcome against what the model allowed, then applies it and keeps it in the history. */
    private void acknowledge(TortureOp op, Outcome o, boolean inFlight) {
        String what = (inFlight ? "in-flight " : "acknowledged ") + op + " => " + o;
        Set<String> allowed = TortureRules.allowed(m, op);
        if (o.kind().equals("x")) {
            check(false, what + ": not a typed error");
        } else if (allowed != null && !allowed.contains(o.shape())) {
            check(false, what + ": the model allows only " + allowed);
        }
        try {
            m.apply(op, o);
        } catch (RuntimeException e) {
            check(false, what + ": the model cannot apply it: " + TortureCalls.describe(e));
            return;
        }
        if (!op.readOnly()) {
            pending.add(op + " => " + o);
        }
    }

    private void flush() throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(history, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND)) {
            for (String l : pending) {
                w.write(l);
                w.newLine();
            }
        }
        pending.clear();
    }

    private void check(boolean ok, String violation) {
        if (!ok) {
            violations.add("round " + round + ": " + violation);
        }
    }

    /** Kills the child if it has not ended after {@link #HANG_SECONDS}: a safety net, not a synchronization. */
    private static Thread watch(ChildJvm child, AtomicBoolean hung) {
        Thread t = new Thread(() -> {
            try {
                if (!child.process().waitFor(HANG_SECONDS, TimeUnit.SECONDS)) {
                    hung.set(true);
                    child.process().destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "torture-watchdog");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static String tail(String output) {
        return output.length() <= 4000 ? output : output.substring(output.length() - 4000);
    }
}
