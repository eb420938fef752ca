package dev.tablevault.engine;

import dev.tablevault.api.BuilderSpec;
import dev.tablevault.api.ColumnType;
import dev.tablevault.api.ExecuteOptions;
import dev.tablevault.api.Frame;
import dev.tablevault.api.InstanceOptions;
import dev.tablevault.api.OpOptions;
import dev.tablevault.api.RowBuilder;
import dev.tablevault.api.TableOptions;
import dev.tablevault.api.TableVaultException;
import dev.tablevault.api.Vault;
import dev.tablevault.api.VaultOptions;
import dev.tablevault.api.VerifyReport;
import dev.tablevault.api.WriteOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Damage to every kind of file in a vault (table files, MANIFEST, CURRENT, WAL, OPTIONS, IDENTITY, the owner
 * file, the durable mark, artifact files), by byte flips and truncations at seeded places. Each case ends in one
 * outcome: the open refuses with CORRUPTION; the open succeeds and verify reports an error (reads may throw
 * CORRUPTION, or equal the reference); reads throw CORRUPTION; or harmless (reads equal the reference, verify
 * clean). The one outcome never allowed is SILENT: opens, reads different data, verify ok. Nor may a damaged
 * file yield an untyped exception or a code other than CORRUPTION (a damaged file is not VAULT_LOCKED or IO).
 *
 * <p>Cases per file kind: {@code -Dcorruption.cases=N} (default 6 flips and 3 truncations); the table of
 * outcomes is printed and written to {@code target/corruption-table.md}.
 */
class CorruptionSuiteTest {
    private static final int CASES = Integer.getInteger("corruption.cases", 6);
    private static final long SEED = Long.getLong("corruption.seed", 20261129L);

    @TempDir
    static Path tmp;
    static Path reference;
    static Contents expected;
    static final Map<String, Map<String, Integer>> TABLE = new TreeMap<>();

    /** Everything a user can read: the logical contents and every artifact file's bytes. */
    record Contents(VaultContents vault, Map<String, String> artifacts) {
    }

    @BeforeAll
    static void buildReference() {
        reference = tmp.resolve("reference");
        RowBuilder drawing = (ctx, row) -> {
            try {
                Path f = ctx.artifactFolder().resolve("img/" + row + ".txt");
                Files.createDirectories(f.getParent());
                Files.writeString(f, "picture " + row);
                return List.of("img/" + row + ".txt");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
        try (Vault v = TableVault.open(reference, VaultOptions.defaults().create(true).builder("drawing", drawing))) {
            // Enough rows to pass the 4 MiB WAL bound, so some data sits in table files and some in the log.
            v.createTable("big", TableOptions.defaults());
            v.createInstance("big", InstanceOptions.defaults().version("base").externalEdit(true));
            Frame.Builder big = Frame.builder().column("id", ColumnType.LONG).column("text", ColumnType.STRING);
            Random r = new Random(7);
            for (long i = 0; i < 150_000; i++) {
                big.row(i, "row " + i + " " + Long.toHexString(r.nextLong()) + Long.toHexString(r.nextLong()));
            }
            v.writeInstance("big", big.build(), WriteOptions.defaults().version("base"));
            for (int i = 0; i < 8; i++) {
                v.createTable("t" + i, TableOptions.defaults());
                v.createInstance("t" + i, InstanceOptions.defaults().version("base").externalEdit(true));
                v.writeInstance("t" + i, Frame.builder().column("id", ColumnType.LONG).row((long) i).build(),
                        WriteOptions.defaults().version("base"));
            }
            v.createTable("pics", TableOptions.defaults());
            v.createInstance("pics", InstanceOptions.defaults().version("v1"));
            v.putBuilder("pics", "v1", BuilderSpec.fromYaml("name: pics_index\ntype: index\nbuilder: range\n"
                    + "changedColumns: [id]\ntypes: {id: long}\narguments: {count: 4}\n"), OpOptions.defaults());
            v.putBuilder("pics", "v1", BuilderSpec.fromYaml("name: img\ntype: column\nbuilder: drawing\n"
                    + "changedColumns: [img]\ntypes: {img: artifact}\n"), OpOptions.defaults());
            v.executeInstance("pics", ExecuteOptions.defaults().version("v1"));
            expected = contents(v, reference);
            assertThat(v.verify().errors()).isEmpty();
        }
        assertThat(files(reference, kind("sst"))).as("table files in the reference vault").isNotEmpty();
    }

    @AfterAll
    static void printTable() throws IOException {
        StringBuilder b = new StringBuilder("| file | refused | verify error | read error | harmless |\n"
                + "|---|---|---|---|---|\n");
        TABLE.forEach((kind, outcomes) -> b.append("| ").append(kind).append(" | ")
                .append(outcomes.getOrDefault("refused", 0)).append(" | ")
                .append(outcomes.getOrDefault("verify error", 0)).append(" | ")
                .append(outcomes.getOrDefault("read error", 0)).append(" | ")
                .append(outcomes.getOrDefault("harmless", 0)).append(" |\n"));
        System.out.println("Corruption table (seed " + SEED + ", " + CASES + " flips per kind):\n" + b);
        Path target = Path.of("target");
        if (Files.isDirectory(target)) {
            Files.writeString(target.resolve("corruption-table.md"), b.toString());
        }
    }

    @Test
    void noDamageToAnyFileIsSilent() throws IOException {
        Map<String, Predicate<Path>> kinds = new LinkedHashMap<>();
        kinds.put("table file (.sst)", kind("sst"));
        kinds.put("MANIFEST", f -> f.getFileName().toString().startsWith("MANIFEST-"));
        kinds.put("CURRENT", f -> f.getFileName().toString().equals("CURRENT"));
        kinds.put("WAL (.log)", kind("log"));
        kinds.put("OPTIONS", f -> f.getFileName().toString().startsWith("OPTIONS-"));
        kinds.put("IDENTITY", f -> f.getFileName().toString().equals("IDENTITY"));
        kinds.put("durable mark", f -> f.getFileName().toString().equals("tablevault.mark"));
        kinds.put("owner file", f -> f.getFileName().toString().equals("owner"));
        kinds.put("artifact file", f -> f.toString().contains("artifacts") && f.toString().endsWith(".txt"));
        Random random = new Random(SEED);
        List<String> violations = new ArrayList<>();
        int n = 0;
        for (Map.Entry<String, Predicate<Path>> k : kinds.entrySet()) {
            List<Path> candidates = files(reference, k.getValue());
            assertThat(candidates).as(k.getKey()).isNotEmpty();
            for (int i = 0; i < CASES + CASES / 2; i++) {
                Path original = candidates.get(random.nextInt(candidates.size()));
                boolean truncate = i >= CASES;
                Path copy = tmp.resolve("case-" + n++);
                copyTree(reference, copy);
                Path target = copy.resolve(reference.relativize(original));
                long size = Files.size(target);
                String what = damage(target, size, truncate, random);
                String outcome = outcome(copy);
                TABLE.computeIfAbsent(k.getKey(), x -> new TreeMap<>()).merge(outcome.split(":")[0], 1, Integer::sum);
                if (!List.of("refused", "verify error", "read error", "harmless").contains(outcome)) {
                    violations.add(k.getKey() + " " + reference.relativize(original) + " " + what + ": " + outcome);
                }
                deleteTree(copy);
            }
        }
        assertThat(violations).as("silent or mistyped outcomes (seed %d)", SEED).isEmpty();
    }

    /** Flips 1-8 bytes at a random offset, or truncates at a random length; says which. */
    private static String damage(Path file, long size, boolean truncate, Random random) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            if (size == 0) {
                f.write(0x5a);
                return "(empty) given a byte";
            }
            if (truncate) {
                long at = random.nextLong(size);
                f.setLength(at);
                return "truncated to " + at + " of " + size;
            }
            long at = random.nextLong(size);
            int count = 1 + random.nextInt(8);
            for (int i = 0; i < count && at + i < size; i++) {
                f.seek(at + i);
                int b = f.read();
                f.seek(at + i);
                f.write(b ^ (1 + random.nextInt(255)));
            }
            return count + " bytes flipped at " + at + " of " + size;
        }
    }

    /** Opens the damaged copy and classifies what a user sees. */
    private static String outcome(Path vault) {
        Vault v;
        try {
            v = TableVault.open(vault, VaultOptions.defaults());
        } catch (TableVaultException e) {
            return e.code() == dev.tablevault.api.ErrorCode.CORRUPTION ? "refused" : "open failed with " + e.code()
                    + ": " + e.getMessage();
        } catch (RuntimeException e) {
            return "open threw untyped " + e;
        }
        try (v) {
            VerifyReport report;
            try {
                report = v.verify();
            } catch (TableVaultException e) {
                return e.code() == dev.tablevault.api.ErrorCode.CORRUPTION ? "verify error"
                        : "verify failed with " + e.code() + ": " + e.getMessage();
            }
            Contents seen;
            try {
                seen = contents(v, vault);
            } catch (TableVaultException e) {
                if (e.code() != dev.tablevault.api.ErrorCode.CORRUPTION) {
                    return "read failed with " + e.code() + ": " + e.getMessage();
                }
                return report.ok() ? "read error" : "verify error";
            } catch (RuntimeException e) {
                return "read threw untyped " + e;
            }
            if (!report.ok()) {
                return "verify error";
            }
            return seen.equals(expected) ? "harmless" : "SILENT: reads differ and verify is clean";
        }
    }

    private static Contents contents(Vault v, Path vault) {
        Map<String, String> artifacts = new TreeMap<>();
        // Only the artifacts folder: RocksDB may be deleting table files under db/ while this walks.
        for (Path f : files(vault.resolve("artifacts"), x -> true)) {
            try {
                artifacts.put(vault.relativize(f).toString(), HexFormat.of().formatHex(
                        MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f))));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
        return new Contents(VaultContents.of(v), artifacts);
    }

    private static Predicate<Path> kind(String extension) {
        return f -> f.getFileName().toString().endsWith("." + extension);
    }

    private static List<Path> files(Path root, Predicate<Path> which) {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).filter(which).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path t = to.resolve(from.relativize(p));
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else if (!p.getFileName().toString().equals("LOCK")) {
                    Files.copy(p, t);
                }
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.delete(p);
            }
        }
    }
}
