package dev.tablevault.bench;

import dev.tablevault.api.ColumnType;
import dev.tablevault.api.Frame;
import dev.tablevault.api.InstanceOptions;
import dev.tablevault.api.ReadOptions;
import dev.tablevault.api.TableOptions;
import dev.tablevault.api.Vault;
import dev.tablevault.api.VaultOptions;
import dev.tablevault.api.WriteOptions;
import dev.tablevault.engine.TableVault;

import java.nio.file.Path;

/**
 * P8c: a 1M-row read (columns LONG and STRING) from a second OS process through the owner's socket against the
 * same read in the owner: a {@code rows} pass and a {@code dataframe}; target at least 0.5x the in-process
 * rate. Median of {@code --rounds}.
 *
 * <pre>
 * ./mvnw -B -pl bench -am package exec:exec -DskipTests -Dbench.main=dev.tablevault.bench.P8cRemoteReadBench \
 *     [-Dbench.args="--rows 1000000 --rounds 3"]
 * </pre>
 */
public final class P8cRemoteReadBench {
    private P8cRemoteReadBench() {
    }

    public static void main(String[] args) throws Exception {
        int rows = P8RemoteSmallOpBench.intArg(args, "--rows", 1_000_000);
        int rounds = P8RemoteSmallOpBench.intArg(args, "--rounds", 3);
        Path dir = BenchDirs.create("p8c").resolve("v");
        double[][] rate = new double[4][rounds]; // rows local, rows remote, dataframe local, dataframe remote
        try (Vault owner = TableVault.open(dir, VaultOptions.defaults().create(true))) {
            owner.createTable("big", TableOptions.defaults());
            owner.createInstance("big", InstanceOptions.defaults().externalEdit(true));
            Frame.Builder f = Frame.builder().column("id", ColumnType.LONG).column("text", ColumnType.STRING);
            for (long r = 0; r < rows; r++) {
                f.row(r, "row number " + r);
            }
            owner.writeInstance("big", f.build(), WriteOptions.defaults());
            RemoteBenchChild.scan(owner, "big");
            for (int r = 0; r < rounds; r++) {
                long t = System.nanoTime();
                long n = RemoteBenchChild.scan(owner, "big");
                rate[0][r] = n / ((System.nanoTime() - t) / 1e9);
                t = System.nanoTime();
                n = owner.dataframe("big", ReadOptions.latest()).rowCount();
                rate[2][r] = n / ((System.nanoTime() - t) / 1e9);
                RemoteBenchChild c = RemoteBenchChild.start("read", dir.toString(), "big");
                c.go();
                long[] scan = c.result();
                long[] frame = c.result();
                c.finish();
                rate[1][r] = scan[1] / (scan[0] / 1e9);
                rate[3][r] = frame[1] / (frame[0] / 1e9);
                System.out.printf("round %d: rows %.2fM/s in owner, %.2fM/s remote; dataframe %.2fM/s in owner,"
                        + " %.2fM/s remote%n", r, rate[0][r] / 1e6, rate[1][r] / 1e6, rate[2][r] / 1e6,
                        rate[3][r] / 1e6);
            }
        } finally {
            BenchDirs.deleteRecursively(dir.getParent());
        }
        for (int k = 0; k < 2; k++) {
            double l = P8RemoteSmallOpBench.median(rate[2 * k]);
            double m = P8RemoteSmallOpBench.median(rate[2 * k + 1]);
            System.out.printf("P8c %s: in owner %.2fM rows/s, second process %.2fM rows/s: %.2fx (target >= 0.5x):"
                    + " %s%n", k == 0 ? "rows" : "dataframe", l / 1e6, m / 1e6, m / l, m / l >= 0.5 ? "met" : "not met");
        }
    }
}
