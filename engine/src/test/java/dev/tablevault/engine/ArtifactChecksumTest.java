package dev.tablevault.engine;

import dev.tablevault.api.ColumnType;
import dev.tablevault.api.ExecuteOptions;
import dev.tablevault.api.Frame;
import dev.tablevault.api.InstanceOptions;
import dev.tablevault.api.OpOptions;
import dev.tablevault.api.StopOptions;
import dev.tablevault.api.TableOptions;
import dev.tablevault.api.Vault;
import dev.tablevault.api.VaultOptions;
import dev.tablevault.api.VerifyReport;
import dev.tablevault.api.WriteOptions;
import dev.tablevault.engine.store.Family;
import dev.tablevault.engine.store.Keys;
import dev.tablevault.engine.store.rocks.RocksBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.rocksdb.WriteBatch;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Artifact checksums: every way an instance gets files (an execution, a write, a stop that materializes, an
 * execution carrying files over) records their size and CRC32C in its materializing commit; {@code verify}
 * then names the table, instance and file of one that changed, shrank or went missing, only warns about a file
 * nothing recorded, and finds nothing once the instance and its checksums are deleted together.
 */
class ArtifactChecksumTest {
    private static final String T = "pics";

    @TempDir
    Path dir;

    private final ArtifactTest.Drawing drawing = new ArtifactTest.Drawing();

    private Vault open() {
        return TableVault.open(dir.resolve("v"), VaultOptions.defaults().create(!Files.exists(dir.resolve("v")))
                .builder("drawing", drawing));
    }

    private static void setup(Vault v, String version, String style) {
        ArtifactTest.setup(v, version, style);
    }

    private static String latest(Vault v) {
        return ArtifactTest.latest(v);
    }

    /** How an instance got its files. */
    enum Source {
        EXECUTE, WRITE, STOP_MATERIALIZED
    }

    /** Publishes an instance of {@link #T} with files through {@code source}; its id and one of its files. */
    private String[] publish(Vault v, Source source) throws IOException {
        v.createTable(T, TableOptions.defaults());
        switch (source) {
            case EXECUTE -> {
                setup(v, "v1", "ink");
                v.executeInstance(T, ExecuteOptions.defaults().version("v1"));
                return new String[] {latest(v), "img/3.txt"};
            }
            case WRITE -> {
                v.createInstance(T, InstanceOptions.defaults().version("w").externalEdit(true));
                Path staging = v.artifactFolder(T, "TEMP_w");
                Files.createDirectories(staging.resolve("a"));
                Files.writeString(staging.resolve("a/0.txt"), "scan 0");
                Files.writeString(staging.resolve("a/1.txt"), "scan 1");
                v.writeInstance(T, Frame.builder().column("id", ColumnType.LONG).column("scan", ColumnType.ARTIFACT)
                        .row(0L, "a/0.txt").row(1L, "a/1.txt").build(), WriteOptions.defaults().version("w"));
                return new String[] {latest(v), "a/1.txt"};
            }
            default -> {
                setup(v, "v1", "ink");
                drawing.fail.add(3L);
                catchThrowableOfType(() -> v.executeInstance(T, ExecuteOptions.defaults().version("v1")
                        .processId("partial").checkpointRows(1)), IllegalStateException.class);
                v.stopProcess("partial", StopOptions.defaults().materialize(true));
                assertThat(v.description(T, latest(v)).success()).isFalse();
                return new String[] {latest(v), "img/1.txt"};
            }
        }
    }

    /** Damage done to one published file, and what the error must say. */
    enum Damage {
        CHANGED_BYTE("changed since it was published"),
        TRUNCATED("truncated from"),
        DELETED("is missing");

        final String says;

        Damage(String says) {
            this.says = says;
        }

        void apply(Path f) throws IOException {
            switch (this) {
                case CHANGED_BYTE -> {
                    byte[] b = Files.readAllBytes(f);
                    b[b.length / 2] ^= 1;
                    Files.write(f, b);
                }
                case TRUNCATED -> {
                    try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
                        ch.truncate(ch.size() - 1);
                    }
                }
                case DELETED -> Files.delete(f);
            }
        }
    }

    static Stream<Arguments> sourcesAndDamages() {
        return Arrays.stream(Source.values()).flatMap(s -> Arrays.stream(Damage.values()).map(d -> Arguments.of(s, d)));
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("sourcesAndDamages")
    void aDamagedFileIsAnErrorNamingTableInstanceAndFile(Source source, Damage damage) throws IOException {
        try (Vault v = open()) {
            String[] published = publish(v, source);
            String id = published[0];
            String file = published[1];
            assertThat(v.verify().errors()).as("untouched").isEmpty();
            assertThat(v.verify().warnings()).as("untouched").isEmpty();

            damage.apply(v.artifactFolder(T, id).resolve(file));
            VerifyReport r = v.verify();
            assertThat(r.ok()).isFalse();
            assertThat(r.errors()).singleElement().asString().contains("table '" + T + "'", "instance " + id,
                    "artifact file " + file, damage.says);
            assertThat(r.warnings()).isEmpty();
        }
    }

    @Test
    void aFileNothingRecordedIsOnlyAWarning() throws IOException {
        try (Vault v = open()) {
            String id = publish(v, Source.EXECUTE)[0];
            Files.writeString(v.artifactFolder(T, id).resolve("img/notes.txt"), "added later");
            VerifyReport r = v.verify();
            assertThat(r.errors()).isEmpty();
            assertThat(r.warnings()).singleElement().asString().contains("instance " + id, "img/notes.txt",
                    "not verified");
        }
    }

    /**
     * A re-execution hard-links the clean builder's files from its origin and keeps the origin's recorded
     * checksums rather than reading the files again: a file damaged before the re-execution is reported in
     * both instances, not blessed in the new one.
     */
    @Test
    void carriedFilesKeepTheirChecksums() throws IOException {
        try (Vault v = open()) {
            v.createTable(T, TableOptions.defaults().multipleArtifacts(true));
            setup(v, "v1", "ink");
            v.executeInstance(T, ExecuteOptions.defaults().version("v1"));
            String first = latest(v);
            Path damaged = v.artifactFolder(T, first).resolve("img/2.txt");
            Damage.CHANGED_BYTE.apply(damaged);

            v.createInstance(T, InstanceOptions.defaults().version("v1").originId(first));
            drawing.fail.add(0L); // would fail if img ran again: it is clean, its files are carried
            v.executeInstance(T, ExecuteOptions.defaults().version("v1"));
            String second = latest(v);
            assertThat(Files.isSameFile(v.artifactFolder(T, second).resolve("img/2.txt"), damaged)).isTrue();

            VerifyReport r = v.verify();
            assertThat(r.errors()).hasSize(2).allMatch(e -> e.contains("img/2.txt") && e.contains("changed"))
                    .anyMatch(e -> e.contains("instance " + first)).anyMatch(e -> e.contains("instance " + second));

            v.deleteInstance(T, first, OpOptions.defaults());
            assertThat(v.verify().errors()).singleElement().asString().contains("instance " + second);
        }
    }

    @Test
    void deletingInstancesAndTablesDropsTheirChecksums() throws IOException {
        try (Vault v = open()) {
            String written = publish(v, Source.WRITE)[0];
            setup(v, "v1", "ink");
            v.executeInstance(T, ExecuteOptions.defaults().version("v1"));
            assertThat(checksumKeys(v)).hasSize(2);

            v.deleteInstance(T, written, OpOptions.defaults());
            assertThat(checksumKeys(v)).hasSize(1);
            assertThat(v.verify().errors()).isEmpty();

            v.deleteTable(T, OpOptions.defaults());
            assertThat(checksumKeys(v)).isEmpty();
            VerifyReport r = v.verify();
            assertThat(r.errors()).isEmpty();
            assertThat(r.warnings()).isEmpty();
        }
    }

    @Test
    void aFolderWithoutChecksumsIsAWarning() throws Exception {
        try (Vault v = open()) {
            String id = publish(v, Source.EXECUTE)[0];
            RocksBackend s = (RocksBackend) ((VaultImpl) v).store();
            try (WriteBatch b = new WriteBatch()) {
                for (byte[] k : checksumKeys(v)) {
                    b.delete(s.handle(Family.META), k);
                }
                s.write(b);
            }
            VerifyReport r = v.verify();
            assertThat(r.errors()).isEmpty();
            assertThat(r.warnings()).singleElement().asString().contains("instance " + id, "no recorded checksums");
        }
    }

    private static List<byte[]> checksumKeys(Vault v) {
        RocksBackend s = (RocksBackend) ((VaultImpl) v).store();
        List<byte[]> keys = new ArrayList<>();
        s.scan(Family.META, Keys.prefix("A"), (k, val) -> keys.add(k));
        return keys;
    }
}
