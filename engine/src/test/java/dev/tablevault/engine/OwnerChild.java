package dev.tablevault.engine;

import dev.tablevault.api.ExecuteOptions;
import dev.tablevault.api.InstanceOptions;
import dev.tablevault.api.OpOptions;
import dev.tablevault.api.RowBuilder;
import dev.tablevault.api.TableOptions;
import dev.tablevault.api.Vault;
import dev.tablevault.api.VaultOptions;
import dev.tablevault.api.BuilderSpec;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Child-JVM mains for {@link MultiProcessTest}. {@code own DIR}: creates a vault with table {@code stories},
 * prints {@code READY}, and holds the vault until stdin closes. {@code execute DIR ROWS BATCH STOP_AT [VERSION]}:
 * runs an execution (of version {@code base} unless given) with a row-wise builder that prints {@code AT <row>}
 * on reaching row STOP_AT and then blocks, so the parent can {@code kill -9} it there.
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
