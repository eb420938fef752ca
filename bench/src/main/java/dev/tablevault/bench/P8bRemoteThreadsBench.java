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
 * throughput. The four clients start once, warm up, and run one timed part per round, like long-lived
 * applications (so the first round also measures their JIT warm-up; the median does not); the remote time runs
 * from the moment they are told to go until the last one is done. Each round also reports the CPU time per call:
 * the owner's in the in-owner run; the owner's plus the four clients' in the remote run (what a call costs the
 * machine, whatever else runs on it).
 *
 * <pre>
 * ./mvnw -B -pl bench -am package exec:exec -DskipTests -Dbench.main=dev.tablevault.bench.P8bRemoteThreadsBench \
 *     [-Dbench.args="--ops 500 --rounds 5"]
 * </pre>
 */
public final class P8bRemoteThreadsBench {
    private P8bRemoteThreadsBench() {
    }

    public static void main(String[] args) throws Exception {
        int ops = P8RemoteSmallOpBench.intArg(args, "--ops", 500);
        int rounds = P8RemoteSmallOpBench.intArg(args, "--rounds", 5);
        Path dir = BenchDirs.create("p8b").resolve("v");
        double[] local = new double[rounds];
        double[] remote = new double[rounds];
        double[] localCpu = new double[rounds];
        double[] remoteCpu = new double[rounds];
        try (Vault owner = TableVault.open(dir, VaultOptions.defaults().create(true))) {
            RemoteBenchChild.creates(owner, "warm", 16, ops / 10);
            List<RemoteBenchChild> children = new ArrayList<>();
            for (int p = 0; p < 4; p++) {
                children.add(RemoteBenchChild.start("threads", dir.toString(), "4", Integer.toString(ops)));
            }
            for (int r = 0; r < rounds; r++) {
                long cpu = RemoteBenchChild.cpuNanos();
                long t = System.nanoTime();
                RemoteBenchChild.creates(owner, "o" + r, 16, ops);
                local[r] = 16.0 * ops / ((System.nanoTime() - t) / 1e9);
                localCpu[r] = (RemoteBenchChild.cpuNanos() - cpu) / 1e3 / (16.0 * ops);
                cpu = RemoteBenchChild.cpuNanos();
                long start = System.nanoTime();
                children.forEach(RemoteBenchChild::go);
                long total = 0;
                long clientCpu = 0;
                for (RemoteBenchChild c : children) {
                    long[] res = c.result();
                    total += res[1];
                    clientCpu += res[2];
                }
                remote[r] = total / ((System.nanoTime() - start) / 1e9);
                long ownerCpu = RemoteBenchChild.cpuNanos() - cpu;
                remoteCpu[r] = (ownerCpu + clientCpu) / 1e3 / total;
                System.out.printf("round %d: 16 threads in owner %.0f ops/s (%.0f us CPU/op), 4x4 threads in other"
                        + " processes %.0f ops/s (%.0f us CPU/op: owner %.0f, clients %.0f)%n", r, local[r], localCpu[r],
                        remote[r], remoteCpu[r], ownerCpu / 1e3 / total, clientCpu / 1e3 / total);
            }
            for (RemoteBenchChild c : children) {
                c.finish();
            }
        } finally {
            BenchDirs.deleteRecursively(dir.getParent());
        }
        double l = P8RemoteSmallOpBench.median(local);
        double m = P8RemoteSmallOpBench.median(remote);
        System.out.printf("P8b: in owner %.0f ops/s, 4 processes %.0f ops/s: %.2fx (target >= 0.8x): %s; CPU per"
                + " call %.0f us in owner, %.0f us across processes%n", l, m, m / l, m / l >= 0.8 ? "met" : "not met",
                P8RemoteSmallOpBench.median(localCpu), P8RemoteSmallOpBench.median(remoteCpu));
    }
}
