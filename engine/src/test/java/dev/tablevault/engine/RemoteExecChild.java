package dev.tablevault.engine;

import dev.tablevault.api.BuilderSpec;
import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.ExecuteOptions;
import dev.tablevault.api.InstanceOptions;
import dev.tablevault.api.OpOptions;
import dev.tablevault.api.RowBuilder;
import dev.tablevault.api.TableOptions;
import dev.tablevault.api.TableVaultException;
import dev.tablevault.api.Vault;
import dev.tablevault.api.VaultOptions;
import dev.tablevault.engine.remote.RemoteVault;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Child-JVM mains for {@link RemoteExecutionCrashTest}. The builder code {@code calc} (row-wise: {@code v<row>})
 * is registered only in the {@code exec} and {@code work} children, never in the owner.
 * <ul>
 *   <li>{@code own DIR}: creates the vault, prints {@code READY}, owns it until stdin closes.</li>
 *   <li>{@code exec DIR TABLE ROWS STOP_AT}: through the owner, creates {@code TABLE} with an instance of
 *   {@code ROWS} rows whose column {@code text} is built by {@code calc}, and executes it as process
 *   {@code exec-TABLE} with checkpoints of {@link #CHECKPOINT} rows; {@code calc} prints {@code CALL <row>} for
 *   each row and, at row STOP_AT (the first time), {@code AT <row>}, then waits for a line on stdin.</li>
 *   <li>{@code work DIR NAME ROWS STOP_AT}: like {@code exec} with table NAME, while another thread creates tables
 *   {@code NAME_k} printing {@code ACK NAME_k} after each (a table whose call failed with {@code OWNER_CHANGED}
 *   prints {@code CHANGED NAME_k}) until stdin closes; an execution that fails with {@code OWNER_CHANGED} prints
 *   {@code CHANGED exec} and is called again with its process id; prints {@code OWNER <pid>} when this process owns the
 *   vault at that moment, then {@code DONE}, once it committed.</li>
 * </ul>
 */
public final class RemoteExecChild {
    static final int CHECKPOINT = 10;

    private RemoteExecChild() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[1]);
        switch (args[0]) {
            case "own" -> {
                try (Vault v = TableVault.open(dir, VaultOptions.defaults().create(true))) {
                    say("READY");
                    System.in.readAllBytes();
                }
            }
            case "exec" -> exec(dir, args[2], Integer.parseInt(args[3]), Long.parseLong(args[4]), false);
            case "work" -> exec(dir, args[2], Integer.parseInt(args[3]), Long.parseLong(args[4]), true);
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    static void say(String line) {
        synchronized (System.out) {
            System.out.println(line);
            System.out.flush();
        }
    }

    /** The row-wise code {@code calc}: prints each call; at {@code stopAt}, waits for a line on {@code in}. */
    static RowBuilder calc(long stopAt, BufferedReader in) {
        AtomicBoolean waited = new AtomicBoolean();
        return (ctx, row) -> {
            say("CALL " + row);
            if (row == stopAt && !waited.getAndSet(true)) {
                say("AT " + row);
                in.readLine();
            }
            return List.of("v" + row);
        };
    }

    /** Creates {@code table} with {@code TEMP_base}: {@code rows} ids and column {@code text} built by {@code calc}. */
    static void prepare(Vault v, String table, int rows) {
        v.createTable(table, TableOptions.defaults());
        v.createInstance(table, InstanceOptions.defaults().version("base"));
        v.putBuilder(table, "base", BuilderSpec.fromYaml("name: " + table + "_index\ntype: index\nbuilder: range\n"
                + "changedColumns: [id]\ntypes: {id: long}\narguments: {count: " + rows + "}\n"), OpOptions.defaults());
        v.putBuilder(table, "base", BuilderSpec.fromYaml("name: text\ntype: column\nbuilder: calc\n"
                + "changedColumns: [text]\n"), OpOptions.defaults());
    }

    static ExecuteOptions options(String table) {
        return ExecuteOptions.defaults().version("base").processId("exec-" + table).checkpointRows(CHECKPOINT)
                .checkpointMillis(3_600_000);
    }

    private static void exec(Path dir, String table, int rows, long stopAt, boolean work) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        try (Vault v = TableVault.open(dir, VaultOptions.defaults().builder("calc", calc(stopAt, in)))) {
            prepare(v, table, rows);
            AtomicBoolean stop = new AtomicBoolean();
            Thread writer = new Thread(() -> write(v, table, stop));
            if (work) {
                writer.start();
            }
            while (true) {
                try {
                    v.executeInstance(table, options(table));
                    break;
                } catch (TableVaultException e) {
                    if (e.code() != ErrorCode.OWNER_CHANGED) {
                        throw e;
                    }
                    say("CHANGED exec");
                }
            }
            // Said at DONE, while every worker still runs: once one exits, the next call of another takes over.
            if (!(v instanceof RemoteVault r) || r.ownerPid() == ProcessHandle.current().pid()) {
                say("OWNER " + ProcessHandle.current().pid());
            }
            say("DONE");
            if (work) {
                in.readLine(); // the parent closes stdin once it has seen enough
                stop.set(true);
                writer.join();
            }
        }
    }

    private static void write(Vault v, String prefix, AtomicBoolean stop) {
        for (int k = 0; !stop.get(); k++) {
            String name = prefix + "_" + k;
            try {
                v.createTable(name, TableOptions.defaults());
                say("ACK " + name);
            } catch (TableVaultException e) {
                if (e.code() != ErrorCode.OWNER_CHANGED) {
                    throw e;
                }
                say("CHANGED " + name);
            }
        }
    }
}
