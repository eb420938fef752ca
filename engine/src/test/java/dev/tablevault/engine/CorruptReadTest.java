package dev.tablevault.engine;

import dev.tablevault.api.BuilderSpec;
import dev.tablevault.api.ColumnType;
import dev.tablevault.api.Durability;
import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.ExecuteOptions;
import dev.tablevault.api.Frame;
import dev.tablevault.api.InstanceOptions;
import dev.tablevault.api.OpOptions;
import dev.tablevault.api.ReadOptions;
import dev.tablevault.api.RowCursor;
import dev.tablevault.api.TableOptions;
import dev.tablevault.api.TvStorageException;
import dev.tablevault.api.Vault;
import dev.tablevault.api.VaultOptions;
import dev.tablevault.api.WriteOptions;
import dev.tablevault.engine.data.Catalog;
import dev.tablevault.engine.store.Chunks;
import dev.tablevault.engine.store.Family;
import dev.tablevault.engine.store.Keys;
import dev.tablevault.engine.store.rocks.RocksBackend;
import dev.tablevault.engine.store.rocks.StoreHooks;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.rocksdb.WriteBatch;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Bytes flipped in a table file behind the engine's back: every read that meets them fails {@code CORRUPTION}
 * naming the file, or (when it never touches them) returns exactly what was written. Never nulls, never a
 * shortened list.
 */
class CorruptReadTest {
    private static final int ROWS = 120_000;
    private static final int TABLES = 1_500;

    @TempDir
    static Path tmp;
    private static Path template;
    private static Frame written;
    private static List<String> tables;
    private static String dataFile;
    private static String metaFile;

    @BeforeAll
    static void writeOnce() throws Exception {
        template = tmp.resolve("template");
        Frame.Builder fb = Frame.builder().column("id", ColumnType.LONG).column("name", ColumnType.STRING)
                .column("score", ColumnType.DOUBLE);
        Random rnd = new Random(7);
        for (int i = 0; i < ROWS; i++) {
            fb.row((long) i, "name-" + i + "-" + rnd.nextInt(), rnd.nextDouble());
        }
        written = fb.build();
        try (Vault v = TableVault.open(template, VaultOptions.defaults().create(true).durability(Durability.NONE))) {
            v.createTable("big", TableOptions.defaults());
            v.createInstance("big", InstanceOptions.defaults().version("w").externalEdit(true));
            v.writeInstance("big", written, WriteOptions.defaults().version("w"));
            for (int t = 0; t < TABLES; t++) {
                v.createTable(table(t), TableOptions.defaults().description(description(t)));
            }
            StoreHooks.compact(((VaultImpl) v).store());
            dataFile = StoreHooks.largestFile(((VaultImpl) v).store(), "data").orElseThrow().getFileName().toString();
            metaFile = StoreHooks.largestFile(((VaultImpl) v).store(), "meta").orElseThrow().getFileName().toString();
            tables = v.tables();
        }
        assertThat(Files.size(template.resolve("db").resolve(dataFile))).as("cells in a large table file")
                .isGreaterThan(1 << 20);
        assertThat(Files.size(template.resolve("db").resolve(metaFile))).as("tables in a large table file")
                .isGreaterThan(20_000);
    }

    private static String table(int t) {
        return String.format("t%05d", t);
    }

    private static String description(int t) {
        return ("table " + t + " ").repeat(40);
    }

    /** A copy of the template with 8 bytes inverted at a seeded position in the middle half of {@code file}. */
    private static Path damagedCopy(String name, String file, long seed) throws IOException {
        Path copy = tmp.resolve(name + "-" + seed);
        try (Stream<Path> all = Files.walk(template)) {
            for (Path p : all.toList()) {
                Path to = copy.resolve(template.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(p, to);
                }
            }
        }
        try (RandomAccessFile f = new RandomAccessFile(copy.resolve("db").resolve(file).toFile(), "rw")) {
            long at = f.length() / 4 + new Random(seed).nextLong(f.length() / 2);
            byte[] b = new byte[8];
            f.seek(at);
            f.readFully(b);
            for (int i = 0; i < b.length; i++) {
                b[i] ^= (byte) 0xFF;
            }
            f.seek(at);
            f.write(b);
        }
        return copy;
    }

    /** Runs {@code read}: its value when it is what was written, null when it failed CORRUPTION naming {@code file}. */
    private static <T> T loudOrEqual(String file, T expected, Supplier<T> read) {
        T got;
        try {
            got = read.get();
        } catch (TvStorageException e) {
            assertThat(e.code()).as(e.getMessage()).isEqualTo(ErrorCode.CORRUPTION);
            assertThat(e.getMessage()).contains(file, "tv verify");
            return null;
        }
        assertThat(got).as("a read that does not fail returns what was written").isEqualTo(expected);
        return got;
    }

    private static Vault open(Path dir, String file) {
        try {
            return TableVault.open(dir, VaultOptions.defaults().readOnly(true));
        } catch (TvStorageException e) {
            // Opening reads the catalog; meeting the damage there is just as loud.
            assertThat(e.code()).as(e.getMessage()).isEqualTo(ErrorCode.CORRUPTION);
            assertThat(e.getMessage()).contains(file);
            return null;
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6})
    void cellsInADamagedFileAreCorruptionNamingItNeverNulls(long seed) throws Exception {
        Path dir = damagedCopy("data", dataFile, seed);
        try (Vault v = open(dir, dataFile)) {
            assertThat(v).as("the catalog is not in the damaged file").isNotNull();
            assertThat(loudOrEqual(dataFile, written, () -> v.dataframe("big", ReadOptions.latest())))
                    .as("every block of the file holds cells the frame needs").isNull();
            assertThat(loudOrEqual(dataFile, written, () -> {
                List<List<Object>> rows = new ArrayList<>();
                try (RowCursor c = v.rows("big", ReadOptions.latest())) {
                    c.forEachRemaining(rows::add);
                }
                Frame.Builder fb = Frame.builder().column("id", ColumnType.LONG).column("name", ColumnType.STRING)
                        .column("score", ColumnType.DOUBLE);
                rows.forEach(r -> fb.row(r.toArray()));
                return fb.build();
            })).isNull();
            assertThat(v.verify().errors()).as("verify sees it too").isNotEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4})
    void aCatalogScanOrLookupOverADamagedFileIsCorruptionNamingIt(long seed) throws Exception {
        Path dir = damagedCopy("meta", metaFile, seed);
        try (Vault v = open(dir, metaFile)) {
            if (v == null) {
                return;
            }
            assertThat(loudOrEqual(metaFile, tables, v::tables)).as("the listing reads every table record")
                    .isNull();
            int loud = 0;
            for (int t = 0; t < TABLES; t++) {
                String name = table(t);
                String d = description(t);
                if (loudOrEqual(metaFile, d, () -> v.description(name).description()) == null) {
                    loud++;
                }
            }
            assertThat(loud).as("the tables whose records sit in the damaged block").isPositive();
            assertThat(v.verify().errors()).as("verify reports what it cannot read rather than failing")
                    .anyMatch(e -> e.startsWith("records: ") && e.contains(metaFile));
        }
    }

    /** How a cell chunk of a successful instance is damaged without breaking a checksum. */
    enum Chunk {
        MISSING, SHORT
    }

    /**
     * A successful instance's writer stored every chunk whole, so a chunk missing or short there is damage:
     * {@code dataframe}, {@code rows} and a reference (chunk by chunk) fail naming the column and rows.
     */
    @ParameterizedTest
    @EnumSource(Chunk.class)
    void aChunkMissingOrShortInASuccessfulInstanceIsCorruption(Chunk damage) throws Exception {
        Frame f = Frame.ofColumns(written.columns(), List.of(written.column(0).subList(0, 3000),
                written.column(1).subList(0, 3000), written.column(2).subList(0, 3000)));
        try (Vault v = TableVault.open(tmp.resolve("chunk-" + damage), VaultOptions.defaults().create(true)
                .durability(Durability.NONE))) {
            v.createTable("small", TableOptions.defaults());
            v.createInstance("small", InstanceOptions.defaults().version("w").externalEdit(true));
            v.writeInstance("small", f, WriteOptions.defaults().version("w"));
            assertThat(v.dataframe("small", ReadOptions.latest())).isEqualTo(f);
            RocksBackend s = (RocksBackend) ((VaultImpl) v).store();
            long key = new Catalog(s, s).pick("small", ReadOptions.latest()).key();
            try (WriteBatch b = new WriteBatch()) {
                if (damage == Chunk.MISSING) {
                    b.delete(s.handle(Family.DATA), Keys.cell(key, 1, 1));
                } else {
                    b.put(s.handle(Family.DATA), Keys.cell(key, 1, 1),
                            Chunks.encode(ColumnType.STRING, f.column(1), 1024, 2000));
                }
                s.write(b);
            }
            String[] named = {"'name'", damage == Chunk.MISSING ? "rows 1024 to 2047" : "only 976 of its 1024 values",
                "tv verify"};
            assertCorruption(() -> v.dataframe("small", ReadOptions.latest()), named);
            assertCorruption(() -> {
                try (RowCursor c = v.rows("small", ReadOptions.latest())) {
                    c.forEachRemaining(r -> { });
                }
            }, named);
            v.createTable("reader", TableOptions.defaults());
            v.createInstance("reader", InstanceOptions.defaults().version("r"));
            v.putBuilder("reader", "r", BuilderSpec.fromYaml("name: reader_index\ntype: index\nbuilder: range\n"
                    + "changedColumns: [id]\ntypes: {id: long}\narguments: {count: 3000}\n"), OpOptions.defaults());
            v.putBuilder("reader", "r", BuilderSpec.fromYaml("name: copy\ntype: column\nbuilder: template\n"
                    + "changedColumns: [name]\narguments: {template: '<<small(w).name[index]>>'}\n"),
                    OpOptions.defaults());
            assertCorruption(() -> v.executeInstance("reader", ExecuteOptions.defaults().version("r")), named);
        }
    }

    private static void assertCorruption(ThrowingCallable read, String... named) {
        TvStorageException e = catchThrowableOfType(read, TvStorageException.class);
        assertThat(e).as("a read of damaged cells fails").isNotNull();
        assertThat(e.code()).as(e.getMessage()).isEqualTo(ErrorCode.CORRUPTION);
        assertThat(e.getMessage()).contains(named);
    }
}
