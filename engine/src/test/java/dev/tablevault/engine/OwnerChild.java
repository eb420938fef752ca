package dev.tablevault.engine;

import dev.tablevault.api.ColumnType;
import dev.tablevault.api.Durability;
import dev.tablevault.api.ExecuteOptions;
import dev.tablevault.api.Frame;
import dev.tablevault.api.InstanceOptions;
import dev.tablevault.api.OpOptions;
import dev.tablevault.api.RowBuilder;
import dev.tablevault.api.TableOptions;
import dev.tablevault.api.Vault;
import dev.tablevault.api.VaultOptions;
import dev.tablevault.api.BuilderSpec;
import dev.tablevault.api.WriteOptions;
import dev.tablevault.engine.store.Backend;
import dev.tablevault.engine.store.rocks.StoreHooks;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Child-JVM mains for {@link MultiProcessTest}. {@code own DIR}: creates a vault with table {@code stories},
 * prints {@code READY}, and holds the vault until stdin closes. {@code execute DIR ROWS BATCH STOP_AT [VERSION]}:
 * runs an execution (of version {@code base} unless given) with a row-wise builder that prints {@code AT <row>}
 * on reaching row STOP_AT and then blocks, so the parent can {@code kill -9} it there. {@code churn DIR}: see
 * {@link #churn}. {@code compact DIR}: see {@link #compact}.
 */
final class OwnerChild {
    private OwnerChild() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[1]);
        if (args[0].equals("own")) {
            try (Vault v = TableVault.open(dir, VaultOptions.defaults().create(true))) {
                v.createTable("stories", TableOptions.defaults());
                System.out.println("READY");
                System.out.flush();
                System.in.readAllBytes();
            }
            return;
        }
        if (args[0].equals("churn")) {
            churn(dir);
            return;
        }
        if (args[0].equals("compact")) {
            compact(dir);
            return;
        }
        long stopAt = Long.parseLong(args[4]);
        CountDownLatch never = new CountDownLatch(1);
        RowBuilder slow = (ctx, row) -> {
            if (row == stopAt) {
                System.out.println("AT " + row);
                System.out.flush();
                never.await();
            }
            return List.of("v" + row);
        };
        try (Vault v = TableVault.open(dir, VaultOptions.defaults().builder("slow", slow))) {
            v.executeInstance("stories", ExecuteOptions.defaults().processId("exec-kill")
                    .version(args.length > 5 ? args[5] : "base")
                    .checkpointRows(Integer.parseInt(args[3])).checkpointMillis(3_600_000));
        }
    }

    /** Tables of the churn's first phase; each description is about 60 kB, so a few WAL files fill up. */
    static final int BIG_TABLES = 100;

    static String bigDescription(int i) {
        return "d".repeat(60_000) + i;
    }

    /**
     * Creates {@link #BIG_TABLES} tables {@code big<i>} with {@link #bigDescription}, deleting each even one
     * right after the next is created, so several WAL files are filled, obsoleted and recycled. Prints
     * {@code LOGS <n>} with the number of WAL files in the database directory, then creates tables
     * {@code c<thread>_<k>} from 4 threads for ever, printing {@code ACK <name>} once each call returned.
     */
    private static void churn(Path dir) throws Exception {
        Vault v = TableVault.open(dir, VaultOptions.defaults().create(true));
        for (int i = 0; i < BIG_TABLES; i++) {
            v.createTable("big" + i, TableOptions.defaults().description(bigDescription(i)));
            if (i % 2 == 1) {
                v.deleteTable("big" + (i - 1), OpOptions.defaults());
            }
        }
        try (var files = java.nio.file.Files.list(dir.resolve("db"))) {
            System.out.println("LOGS " + files.filter(f -> f.toString().endsWith(".log")).count());
        }
        System.out.flush();
        for (int t = 0; t < 4; t++) {
            int thread = t;
            new Thread(() -> {
                for (int k = 0; ; k++) {
                    String name = "c" + thread + "_" + k;
                    v.createTable(name, TableOptions.defaults());
                    synchronized (System.out) {
                        System.out.println("ACK " + name);
                        System.out.flush();
                    }
                }
            }).start();
        }
        new CountDownLatch(1).await();
    }

    /** Rounds after which {@link #compact} stops by itself, should its parent never close stdin. */
    static final int MAX_COMPACT_ROUNDS = 5_000;

    /**
     * Creates a vault whose table {@code big} has a 20,000-row instance and prints {@code READY}; then, until stdin
     * closes (or {@link #MAX_COMPACT_ROUNDS}), writes a small instance, deletes the previous one and compacts every
     * column family, so table files are written and deleted all the time, printing {@code ROUND <n>} after each
     * round. Prints {@code DONE <rounds>} at the end.
     */
    private static void compact(Path dir) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        Thread stdin = new Thread(() -> {
            try {
                System.in.readAllBytes();
            } catch (IOException e) {
                System.out.println("stdin failed: " + e); // ends the rounds all the same
            }
            stop.set(true);
        });
        stdin.setDaemon(true);
        try (Vault v = TableVault.open(dir, VaultOptions.defaults().create(true).durability(Durability.NONE))) {
            v.createTable("big", TableOptions.defaults());
            writeRows(v, "base", 20_000);
            Backend store = ((VaultImpl) v).store();
            StoreHooks.compact(store);
            stdin.start();
            System.out.println("READY");
            System.out.flush();
            int rounds = 0;
            for (String previous = null; !stop.get() && rounds < MAX_COMPACT_ROUNDS; rounds++) {
                String id = writeRows(v, "r" + rounds, 100);
                if (previous != null) {
                    v.deleteInstance("big", previous, OpOptions.defaults());
                }
                previous = id;
                StoreHooks.compact(store);
                System.out.println("ROUND " + rounds);
                System.out.flush();
            }
            System.out.println("DONE " + rounds);
        }
    }

    /** Writes {@code rows} rows as a new instance of {@code version} of table {@code big}; returns its id. */
    private static String writeRows(Vault v, String version, int rows) {
        Frame.Builder f = Frame.builder().column("id", ColumnType.LONG).column("text", ColumnType.STRING);
        for (int r = 0; r < rows; r++) {
            f.row((long) r, version + " row " + r);
        }
        v.createInstance("big", InstanceOptions.defaults().version(version).externalEdit(true));
        v.writeInstance("big", f.build(), WriteOptions.defaults().version(version));
        return v.instances("big", version, false).get(0);
    }

    /** The vault the execute child runs on: index of {@code rows} rows and one column built by {@code slow}. */
    static void prepareExecute(Path dir, int rows) {
        try (Vault v = TableVault.open(dir, VaultOptions.defaults().create(true))) {
            v.createTable("stories", TableOptions.defaults());
            v.createInstance("stories", InstanceOptions.defaults().version("base"));
            v.putBuilder("stories", "base", BuilderSpec.fromYaml("name: stories_index\ntype: index\n"
                    + "builder: range\nchangedColumns: [id]\ntypes: {id: long}\narguments: {count: " + rows + "}\n"),
                    OpOptions.defaults());
            v.putBuilder("stories", "base", BuilderSpec.fromYaml("name: text\ntype: column\nbuilder: slow\n"
                    + "changedColumns: [text]\n"), OpOptions.defaults());
        }
    }

    /**
     * A vault for a re-execution: version {@code base} executed ({@code rows} ids, primary key {@code id},
     * columns {@code label} = {@code L<id>} and {@code text} by {@code slow}), and {@code TEMP_v2} from it whose
     * index shifts the ids by half ({@code keepOld}: the first half are kept) and whose {@code text} changed:
     * {@code label} is carried over, {@code text} recomputed by {@code slow} for every row.
     */
    static void prepareReExecute(Path dir, int rows) {
        RowBuilder plain = (ctx, row) -> List.of("old" + row);
        try (Vault v = TableVault.open(dir, VaultOptions.defaults().create(true).builder("slow", plain))) {
            v.createTable("stories", TableOptions.defaults());
            v.createInstance("stories", InstanceOptions.defaults().version("base"));
            v.putBuilder("stories", "base", index(0, rows), OpOptions.defaults());
            v.putBuilder("stories", "base", LABEL, OpOptions.defaults());
            v.putBuilder("stories", "base", text("one"), OpOptions.defaults());
            v.executeInstance("stories", ExecuteOptions.defaults());
            String base = v.instances("stories", "base", false).get(0);
            v.createInstance("stories", InstanceOptions.defaults().version("v2").originId(base));
            v.putBuilder("stories", "v2", index(rows / 2, rows), OpOptions.defaults());
            v.putBuilder("stories", "v2", text("two"), OpOptions.defaults());
        }
    }

    private static final BuilderSpec LABEL = BuilderSpec.fromYaml("name: label\ntype: column\nbuilder: template\n"
            + "changedColumns: [label]\narguments: {template: 'L<<self.id[index]>>'}\n");

    private static BuilderSpec index(int start, int count) {
        return BuilderSpec.fromYaml("name: stories_index\ntype: index\nbuilder: range\nchangedColumns: [id]\n"
                + "types: {id: long}\nprimaryKey: [id]\nkeepOld: true\narguments: {start: " + start + ", count: "
                + count + "}\n");
    }

    private static BuilderSpec text(String salt) {
        return BuilderSpec.fromYaml("name: text\ntype: column\nbuilder: slow\nchangedColumns: [text]\n"
                + "dependencies: [label]\narguments: {salt: " + salt + "}\n");
    }
}
