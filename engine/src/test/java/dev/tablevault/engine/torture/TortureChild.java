package dev.tablevault.engine.torture;

import dev.tablevault.api.Durability;
import dev.tablevault.api.Vault;
import dev.tablevault.api.VaultOptions;
import dev.tablevault.engine.TestVault;
import dev.tablevault.engine.torture.TortureOp.Outcome;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;

/**
 * The child JVM of one torture round, killed ({@code kill -9}) at a moment the parent picks. Rebuilds the model
 * from the history, opens the vault (without restart: the parent restarted it) and runs worker threads, each
 * printing {@code B <thread> <operation>} before a call and {@code A <thread> <outcome>} once it returned: the
 * acknowledgement journal the parent reads from stdout (a line in the pipe survives the kill). Prints
 * {@code READY} once open. Arguments: the vault's location and folder ({@link TestVault#of}), flag dir, history
 * file, round seed, round, threads, durability. On a shared vault its lease is short ({@link TestVault#SHORT_LEASE}).
 */
final class TortureChild {
    private TortureChild() {
    }

    public static void main(String[] args) throws Exception {
        Path flags = Path.of(args[2]);
        TortureModel m = TortureModel.replay(Path.of(args[3]));
        long seed = Long.parseLong(args[4]);
        int round = Integer.parseInt(args[5]);
        int threads = Integer.parseInt(args[6]);
        Vault v = TestVault.of(args[0], args[1]).open(options(flags).durability(Durability.valueOf(args[7]))
                .leaseTtl(TestVault.SHORT_LEASE));
        say("READY");
        TortureCalls calls = new TortureCalls(v, m, flags);
        for (int t = 0; t < threads; t++) {
            TortureGenerator gen = new TortureGenerator(m, new Random(seed * 31 + t), t, round);
            int thread = t;
            new Thread(() -> work(m, gen, calls, thread), "torture-" + t).start();
        }
        // The vault stays open until the kill: closing it is what the torture never does.
    }

    /** The options both the child and the parent open the vault with: the flaky builder registered. */
    static VaultOptions options(Path flags) {
        return VaultOptions.defaults().author("torture").lockTimeout(Duration.ofSeconds(2))
                .builder(TortureSpecs.FLAKY, new TortureSpecs.Flaky(flags));
    }

    private static void work(TortureModel m, TortureGenerator gen, TortureCalls calls, int thread) {
        while (true) {
            TortureOp op;
            synchronized (m) {
                op = gen.next();
            }
            say("B " + thread + " " + op);
            Outcome o = calls.run(op);
            try {
                synchronized (m) {
                    m.apply(op, o);
                }
            } catch (RuntimeException e) {
                // The parent sees the outcome it did not allow and reports it; this thread's view is lost.
                say("A " + thread + " " + o);
                say("V thread " + thread + " cannot apply " + op + " => " + o + ": " + TortureCalls.describe(e));
                return;
            }
            say("A " + thread + " " + o);
        }
    }

    private static void say(String line) {
        synchronized (System.out) {
            System.out.println(line);
            System.out.flush();
        }
    }
}
