package dev.tablevault.bench;

import dev.tablevault.api.Vault;
import dev.tablevault.api.VaultOptions;
import dev.tablevault.engine.TableVault;

import java.nio.file.Path;

/**
 * P8: one small durable operation (createTable or deleteTable, SYNC, one thread) from a second OS process, which
 * works through the owner's socket, against the same operation in the owner; target at most 1.5x. Rounds
 * alternate in-owner and remote runs of {@code --ops} pairs; the median per-op time of each is reported.
 *
 * <pre>
 * ./mvnw -B -pl bench -am package exec:exec -DskipTests -Dbench.main=dev.tablevault.bench.P8RemoteSmallOpBench \
 *     [-Dbench.args="--ops 2000 --rounds 3"]
 * </pre>
 */
public final class P8RemoteSmallOpBench {
    private P8RemoteSmallOpBench() {
    }

    public static void main(String[] args) throws Exception {
        int ops = intArg(args, "--ops", 2000);
        int rounds = intArg(args, "--rounds", 3);
        Path dir = BenchDirs.create("p8").resolve("v");
        double[] local = new double[rounds];
        double[] remote = new double[rounds];
        try (Vault owner = TableVault.open(dir, VaultOptions.defaults().create(true))) {
            RemoteBenchChild.smallOps(owner, "warm", ops);
            for (int r = 0; r < rounds; r++) {
                long t = System.nanoTime();
                RemoteBenchChild.smallOps(owner, "o" + r, ops);
                local[r] = (System.nanoTime() - t) / 1000.0 / (ops * 2);
                RemoteBenchChild c = RemoteBenchChild.start("small", dir.toString(), Integer.toString(ops));
                c.go();
                long[] res = c.result();
                remote[r] = res[0] / 1000.0 / res[1];
                c.finish();
                System.out.printf("round %d: in owner %.1f us/op, from a second process %.1f us/op%n", r, local[r],
                        remote[r]);
            }
        } finally {
            BenchDirs.deleteRecursively(dir.getParent());
        }
        double l = median(local);
        double m = median(remote);
        System.out.printf("P8: in owner %.1f us/op, second process %.1f us/op: %.2fx (target <= 1.5x): %s%n", l, m,
                m / l, m / l <= 1.5 ? "met" : "not met");
    }

    static int intArg(String[] args, String name, int fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return Integer.parseInt(args[i + 1]);
            }
        }
        return fallback;
    }

    static double median(double[] v) {
        double[] s = v.clone();
        java.util.Arrays.sort(s);
        return s[s.length / 2];
    }
}
