package dev.tablevault.bench;

import dev.tablevault.api.BuilderSpec;
import dev.tablevault.api.InstanceOptions;
import dev.tablevault.api.OpOptions;
import dev.tablevault.api.RowBuilder;
import dev.tablevault.api.TableOptions;
import dev.tablevault.api.Vault;
import dev.tablevault.api.VaultOptions;
import dev.tablevault.engine.TableVault;

import java.nio.file.Path;
import java.util.List;

/**
 * P8d: a row-wise execution of {@code --rows} rows (default 100,000; index {@code range}, one STRING column built
 * by the row-wise code {@code label}, default checkpoints) started from a second OS process whose code it is, so
 * the owner calls the code back in that process batch by batch, against the same execution in the owner with
 * its own code. No target; the ratio is recorded. Median of {@code --rounds}.
 *
 * <pre>
 * ./mvnw -B -pl bench -am package exec:exec -DskipTests -Dbench.main=dev.tablevault.bench.P8dRemoteExecBench \
 *     [-Dbench.args="--rows 100000 --rounds 3"]
 * </pre>
 */
public final class P8dRemoteExecBench {
    /** The row-wise code, registered in the owner and in the child alike. */
    static final RowBuilder LABEL = (ctx, row) -> List.of("row " + row + " of " + ctx.rowCount());

    private P8dRemoteExecBench() {
    }

    public static void main(String[] args) throws Exception {
        int rows = P8RemoteSmallOpBench.intArg(args, "--rows", 100_000);
        int rounds = P8RemoteSmallOpBench.intArg(args, "--rounds", 3);
        Path dir = BenchDirs.create("p8d").resolve("v");
        double[][] rate = new double[2][rounds]; // in the owner, from the second process
        try (Vault owner = TableVault.open(dir, VaultOptions.defaults().create(true).builder("label", LABEL))) {
            owner.createTable("t", TableOptions.defaults());
            prepare(owner, "warm", rows);
            RemoteBenchChild.exec(owner, "t", "warm");
            for (int r = 0; r < rounds; r++) {
                prepare(owner, "o" + r, rows);
                long t = System.nanoTime();
                long n = RemoteBenchChild.exec(owner, "t", "o" + r);
                rate[0][r] = n / ((System.nanoTime() - t) / 1e9);
                prepare(owner, "cw" + r, rows);
                prepare(owner, "c" + r, rows);
                RemoteBenchChild c = RemoteBenchChild.start("exec", dir.toString(), "t", "cw" + r, "c" + r);
                c.go();
                long[] res = c.result();
                c.finish();
                rate[1][r] = res[1] / (res[0] / 1e9);
                System.out.printf("round %d: %.0f rows/s in the owner, %.0f rows/s from a second process%n", r,
                        rate[0][r], rate[1][r]);
            }
        } finally {
            BenchDirs.deleteRecursively(dir.getParent());
        }
        double l = P8RemoteSmallOpBench.median(rate[0]);
        double m = P8RemoteSmallOpBench.median(rate[1]);
        System.out.printf("P8d: row-wise execution of %d rows, in the owner %.0f rows/s, code in a second process"
                + " %.0f rows/s: %.2fx%n", rows, l, m, m / l);
    }

    private static void prepare(Vault v, String version, int rows) {
        v.createInstance("t", InstanceOptions.defaults().version(version));
        v.putBuilder("t", version, BuilderSpec.fromYaml("name: t_index\ntype: index\nbuilder: range\n"
                + "changedColumns: [id]\ntypes: {id: long}\narguments: {count: " + rows + "}\n"), OpOptions.defaults());
        v.putBuilder("t", version, BuilderSpec.fromYaml("name: label\ntype: column\nbuilder: label\n"
                + "changedColumns: [label]\n"), OpOptions.defaults());
    }
}
