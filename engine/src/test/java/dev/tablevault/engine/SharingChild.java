package dev.tablevault.engine;

import dev.tablevault.api.BuilderSpec;
import dev.tablevault.api.ColumnType;
import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.ExecuteOptions;
import dev.tablevault.api.Frame;
import dev.tablevault.api.InstanceOptions;
import dev.tablevault.api.OpOptions;
import dev.tablevault.api.RowBuilder;
import dev.tablevault.api.TableOptions;
import dev.tablevault.api.TableVaultException;
import dev.tablevault.api.Vault;
import dev.tablevault.api.VaultOptions;
import dev.tablevault.api.WriteOptions;
import dev.tablevault.engine.remote.RemoteVault;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Child-JVM mains for tests of a vault shared by OS processes ({@link SharedVaultTest}, the CLI's tests).
 * <ul>
 *   <li>{@code own DIR}: creates a vault with table {@code stories}, prints {@code READY}, owns it until stdin
 *   closes.</li>
 *   <li>{@code hold DIR}: like {@code own}, with three executions of table {@code stories} paused by their
 *   builder (processes {@code p-a}, {@code p-b}, {@code p-c} on versions a, b, c; 10 rows each, checkpoints of 2
 *   rows, the builder failing at row 5); after {@code READY} the builder no longer fails, so a resume through
 *   this owner completes.</li>
 *   <li>{@code client DIR PREFIX [COUNT]}: opens the vault read-write (so it works through the owner) and, until
 *   stdin closes or COUNT tables are done, creates table {@code PREFIX_k} with an instance of k+1 rows, printing
 *   {@code ACK PREFIX_k} after each; a call that fails with {@code OWNER_CHANGED} prints {@code CHANGED PREFIX_k}
 *   and the next table is tried. Prints {@code OWNER <pid>} when its handle turns out to own the vault.</li>
 * </ul>
 */
public final class SharingChild {
    private SharingChild() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[1]);
        switch (args[0]) {
            case "own" -> {
                try (Vault v = TableVault.open(dir, VaultOptions.defaults().create(true))) {
                    v.createTable("stories", TableOptions.defaults());
                    ready();
                    System.in.readAllBytes();
                }
            }
            case "hold" -> hold(dir);
            case "client" -> client(dir, args[2], args.length > 3 ? Integer.parseInt(args[3]) : Integer.MAX_VALUE);
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    private static void ready() {
        System.out.println("READY");
        System.out.flush();
    }

    private static void hold(Path dir) throws IOException {
        AtomicBoolean fail = new AtomicBoolean(true);
        RowBuilder flaky = (ctx, row) -> {
            if (fail.get() && row == 5) {
                throw new IllegalStateException("flaky at row 5");
            }
            return List.of("x" + row);
        };
        try (Vault v = TableVault.open(dir, VaultOptions.defaults().create(true).builder("flaky", flaky))) {
            v.createTable("stories", TableOptions.defaults().multipleArtifacts(true)); // no table-wide artifact lock
            for (String version : List.of("a", "b", "c")) {
                v.createInstance("stories", InstanceOptions.defaults().version(version));
                v.putBuilder("stories", version, BuilderSpec.fromYaml("name: stories_index\ntype: index\n"
                        + "builder: range\nchangedColumns: [id]\ntypes: {id: long}\narguments: {count: 10}\n"),
                        OpOptions.defaults());
                v.putBuilder("stories", version, BuilderSpec.fromYaml("name: text\ntype: column\nbuilder: flaky\n"
                        + "changedColumns: [text]\n"), OpOptions.defaults());
                try {
                    v.executeInstance("stories", ExecuteOptions.defaults().version(version).processId("p-" + version)
                            .checkpointRows(2));
                    throw new IllegalStateException("the execution of " + version + " did not pause");
                } catch (IllegalStateException e) {
                    if (!e.getMessage().startsWith("flaky")) {
                        throw e;
                    }
                }
            }
            fail.set(false);
            ready();
            System.in.readAllBytes();
        }
    }

    private static void client(Path dir, String prefix, int count) {
        AtomicBoolean stop = new AtomicBoolean();
        Thread stdin = new Thread(() -> {
            try {
                System.in.readAllBytes();
            } catch (IOException e) {
                System.out.println("stdin failed: " + e);
            }
            stop.set(true);
        });
        stdin.setDaemon(true);
        stdin.start();
        try (Vault v = TableVault.open(dir, VaultOptions.defaults())) {
            boolean owner = false;
            for (int k = 0; k < count && !stop.get(); k++) {
                String name = prefix + "_" + k;
                try {
                    writeTable(v, name, k);
                    print("ACK " + name);
                } catch (TableVaultException e) {
                    if (e.code() != ErrorCode.OWNER_CHANGED) {
                        throw e;
                    }
                    print("CHANGED " + name + " " + e.getMessage());
                }
                if (!owner && v instanceof RemoteVault r && r.ownerPid() == ProcessHandle.current().pid()) {
                    owner = true;
                    print("OWNER " + ProcessHandle.current().pid());
                }
            }
        }
        print("DONE");
    }

    /** Creates table {@code name} with an external-edit instance of {@code k + 1} rows (column {@code id}). */
    static void writeTable(Vault v, String name, int k) {
        v.createTable(name, TableOptions.defaults());
        v.createInstance(name, InstanceOptions.defaults().externalEdit(true));
        Frame.Builder f = Frame.builder().column("id", ColumnType.LONG);
        for (long r = 0; r <= k; r++) {
            f.row(r);
        }
        v.writeInstance(name, f.build(), WriteOptions.defaults());
    }

    private static void print(String line) {
        synchronized (System.out) {
            System.out.println(line);
            System.out.flush();
        }
    }
}
