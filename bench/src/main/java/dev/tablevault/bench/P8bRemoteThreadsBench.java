package dev.tablevault.bench;

import dev.tablevault.api.Vault;
import dev.tablevault.api.VaultOptions;
import dev.tablevault.engine.TableVault;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * P8b: 16 threads spread over 4 OS processes (4 each, all working through the owner's socket) against 16
 * threads in the owner, each making {@code --ops} createTable calls (SYNC); target at least 0.8x the owner's
 * throughput. The remote time runs from the moment the warmed-up clients are told to go until the last one is
 * done.
 *
 * <pre>
 * ./mvnw -B -pl bench -am package exec:exec -DskipTests -Dbench.main=dev.tablevault.bench.P8bRemoteThreadsBench \
 *     [-Dbench.args="--ops 500 --rounds 3"]
 * </pre>
 */
public final class P8bRemoteThreadsBench {
    private P8bRemoteThreadsBench() {
    }

    public static void main(String[] args) throws Exception {
        int ops = P8RemoteSmallOpBench.intArg(args, "--ops", 500);
        int rounds = P8RemoteSmallOpBench.intArg(args, "--rounds", 3);
        Path dir = BenchDirs.create("p8b").resolve("v");
        double[] local = new double[rounds];
        double[] remote = new double[rounds];
        try (Vault owner = TableVault.open(dir, VaultOptions.defaults().create(true))) {
            RemoteBenchChild.creates(owner, "warm", 16, ops / 10);
            for (int r = 0; r < rounds; r++) {
                long t = System.nanoTime();
                RemoteBenchChild.creates(owner, "o" + r, 16, ops);
                local[r] = 16.0 * ops / ((System.nanoTime() - t) / 1e9);
                List<RemoteBenchChild> children = new ArrayList<>();
                for (int p = 0; p < 4; p++) {
                    children.add(RemoteBenchChild.start("threads", dir.toString(), "4", Integer.toString(ops)));
                }
                long start = System.nanoTime();
                children.forEach(RemoteBenchChild::go);
                long total = 0;
                for (RemoteBenchChild c : children) {
                    total += c.result()[1];
                }
                remote[r] = total / ((System.nanoTime() - start) / 1e9);
                for (RemoteBenchChild c : children) {
                    c.finish();
                }
                System.out.printf("round %d: 16 threads in owner %.0f ops/s, 4x4 threads in other processes %.0f ops/s%n",
                        r, local[r], remote[r]);
            }
        } finally {
            BenchDirs.deleteRecursively(dir.getParent());
        }
        double l = P8RemoteSmallOpBench.median(local);
        double m = P8RemoteSmallOpBench.median(remote);
        System.out.printf("P8b: in owner %.0f ops/s, 4 processes %.0f ops/s: %.2fx (target >= 0.8x): %s%n", l, m,
                m / l, m / l >= 0.8 ? "met" : "not met");
    }
}
