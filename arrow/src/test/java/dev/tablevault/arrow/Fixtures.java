package dev.tablevault.arrow;

import dev.tablevault.api.BuilderSpec;
import dev.tablevault.api.Column;
import dev.tablevault.api.ColumnType;
import dev.tablevault.api.ExecuteOptions;
import dev.tablevault.api.FrameBuilder;
import dev.tablevault.api.OpOptions;
import dev.tablevault.api.Durability;
import dev.tablevault.api.Frame;
import dev.tablevault.api.InstanceOptions;
import dev.tablevault.api.TableOptions;
import dev.tablevault.api.Vault;
import dev.tablevault.api.VaultOptions;
import dev.tablevault.api.WriteOptions;
import dev.tablevault.engine.TableVault;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Collectors;

/** Vaults and frames the Arrow tests share. */
final class Fixtures {
    private Fixtures() {
    }

    static Vault create(Path dir) {
        return TableVault.open(dir, VaultOptions.defaults().create(true).durability(Durability.NONE));
    }

    /**
     * A vault whose table {@code table} has one successful instance of {@code columns} and no rows (writeInstance
     * refuses an empty frame; an execution may make one).
     */
    static Vault withEmptyInstance(Path dir, String table, List<Column> columns) {
        FrameBuilder empty = ctx -> Frame.ofColumns(columns, columns.stream().map(c -> List.<Object>of()).toList());
        Vault v = TableVault.open(dir, VaultOptions.defaults().create(true).durability(Durability.NONE)
                .builder("empty", empty));
        v.createTable(table, TableOptions.defaults());
        v.createInstance(table, InstanceOptions.defaults());
        String types = columns.stream().map(c -> c.name() + ": " + c.type().name().toLowerCase(Locale.ROOT))
                .collect(Collectors.joining(", "));
        v.putBuilder(table, "base", BuilderSpec.fromYaml("name: " + table + "_index\ntype: index\nbuilder: empty\n"
                + "changedColumns: [" + columns.stream().map(Column::name).collect(Collectors.joining(", "))
                + "]\ntypes: {" + types + "}\n"), OpOptions.defaults());
        v.executeInstance(table, ExecuteOptions.defaults());
        return v;
    }

    /** Writes {@code f} as a new instance of {@code table} (created if missing); returns the instance id. */
    static String write(Vault v, String table, Frame f) {
        if (!v.tables().contains(table)) {
            v.createTable(table, TableOptions.defaults());
        }
        v.createInstance(table, InstanceOptions.defaults().externalEdit(true));
        for (int c = 0; c < f.columnCount(); c++) {
            if (f.columns().get(c).type() == ColumnType.ARTIFACT) {
                String temp = v.instances(table, null, true).stream().filter(i -> i.startsWith("TEMP_")).findFirst()
                        .orElseThrow();
                Path folder = v.artifactFolder(table, temp);
                for (Object a : f.column(c)) {
                    if (a != null) {
                        try {
                            Files.createDirectories(folder.resolve((String) a).getParent());
                            Files.writeString(folder.resolve((String) a), (String) a);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }
                }
            }
        }
        v.writeInstance(table, f, WriteOptions.defaults());
        return v.instances(table, null, false).get(v.instances(table, null, false).size() - 1);
    }

    /**
     * {@code rows} rows of every column type but OBJECT, seeded, about one value in five null (every column has
     * nulls, and values at the edges: long bounds, NaN, infinities, empty text and bytes, non-ASCII text, the
     * oldest and newest nanosecond times). Artifact paths only in the first 200 rows: each is a file to write.
     */
    static Frame everyType(int rows, long seed) {
        Random rnd = new Random(seed);
        Frame.Builder b = Frame.builder().column("l", ColumnType.LONG).column("d", ColumnType.DOUBLE)
                .column("b", ColumnType.BOOLEAN).column("s", ColumnType.STRING).column("y", ColumnType.BYTES)
                .column("t", ColumnType.TIMESTAMP).column("u", ColumnType.DURATION)
                .column("a", ColumnType.ARTIFACT);
        Object[] edgeL = {Long.MIN_VALUE, Long.MAX_VALUE, 0L};
        Object[] edgeD = {Double.NaN, Double.NEGATIVE_INFINITY, -0.0, Double.MAX_VALUE};
        Object[] edgeS = {"", "é ü 漢字 😀", "tab\tnew\nline \"quoted\", comma"};
        Object[] edgeT = {Instant.ofEpochSecond(0, Long.MIN_VALUE), Instant.ofEpochSecond(0, Long.MAX_VALUE),
                Instant.EPOCH, Instant.parse("1969-12-31T23:59:59.999999999Z")};
        for (int r = 0; r < rows; r++) {
            boolean edge = r < 4;
            b.row(
                    pick(rnd, edge ? edgeL[r % 3] : rnd.nextLong()),
                    pick(rnd, edge ? edgeD[r % 4] : rnd.nextGaussian() * 1e6),
                    pick(rnd, rnd.nextBoolean()),
                    pick(rnd, edge ? edgeS[r % 3] : "s" + rnd.nextInt(1000)),
                    pick(rnd, edge ? new byte[0] : new byte[] {(byte) rnd.nextInt(), 0, (byte) 255}),
                    pick(rnd, edge ? edgeT[r % 4] : Instant.ofEpochSecond(rnd.nextInt(2_000_000_000),
                            rnd.nextInt(1_000_000_000))),
                    pick(rnd, Duration.ofSeconds(rnd.nextInt(1_000_000) - 500_000, rnd.nextInt(1_000_000_000))),
                    r < 200 ? pick(rnd, "files/f" + r + ".bin") : null);
        }
        return b.build();
    }

    private static Object pick(Random rnd, Object v) {
        return rnd.nextInt(5) == 0 ? null : v;
    }
}
