package dev.tablevault.engine;

import dev.tablevault.api.BuildContext;
import dev.tablevault.api.BuilderSpec;
import dev.tablevault.api.ColumnType;
import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.ExecuteOptions;
import dev.tablevault.api.Frame;
import dev.tablevault.api.InstanceOptions;
import dev.tablevault.api.OpOptions;
import dev.tablevault.api.ReadOptions;
import dev.tablevault.api.RowBuilder;
import dev.tablevault.api.StopOptions;
import dev.tablevault.api.TableOptions;
import dev.tablevault.api.TvArgumentException;
import dev.tablevault.api.TvBuilderException;
import dev.tablevault.api.Vault;
import dev.tablevault.api.VaultOptions;
import dev.tablevault.api.WriteOptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Artifacts: files a builder writes are published with the instance (the table's artifact instance switches
 * in the same commit), a path naming no file refuses the materialization, a partial instance keeps its
 * files to itself, carried-over values bring their files along, and deleting an instance removes its folder.
 * A written (external-edit) instance takes its files from the temporary instance's staging folder.
 */
@ParameterizedClass
@EnumSource(TestBackend.class)
class ArtifactTest {
    private static final String T = "pics";

    @Parameter
    TestBackend backend;

    @TempDir
    Path dir;

    private TestVault home;

    @BeforeEach
    void place() {
        home = backend.vault(dir, "v");
    }

    /**
     * Writes {@code img/<row>.txt} unless the row is in {@code skipWrite}, and returns its path after
     * {@code prefix} (a set prefix only names a path, never writes); fails at rows in {@code fail}.
     */
    static final class Drawing implements RowBuilder {
        final Set<Long> skipWrite = ConcurrentHashMap.newKeySet();
        final Set<Long> fail = ConcurrentHashMap.newKeySet();
        volatile String prefix = "";

        @Override
        public List<Object> build(BuildContext ctx, long row) {
            if (fail.remove(row)) {
                throw new IllegalStateException("renderer down at row " + row);
            }
            String name = prefix + "img/" + row + ".txt";
            if (!skipWrite.contains(row) && prefix.isEmpty()) {
                try {
                    Path f = ctx.artifactFolder().resolve(name);
                    Files.createDirectories(f.getParent());
                    Files.writeString(f, "picture " + row + " " + ctx.arguments().get("style"));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return List.of(name);
        }
    }

    private final Drawing drawing = new Drawing();

    private Vault open() {
        return home.open(VaultOptions.defaults().create(!home.exists())
                .builder("drawing", drawing));
    }

    static void setup(Vault v, String version, String style) {
        v.createInstance(T, InstanceOptions.defaults().version(version));
        v.putBuilder(T, version, BuilderSpec.fromYaml("name: pics_index\ntype: index\nbuilder: range\n"
                + "changedColumns: [id]\ntypes: {id: long}\narguments: {count: 5}\n"), OpOptions.defaults());
        v.putBuilder(T, version, BuilderSpec.fromYaml("name: img\ntype: column\nbuilder: drawing\n"
                + "changedColumns: [img]\ntypes: {img: artifact}\narguments: {style: " + style + "}\n"),
                OpOptions.defaults());
    }

    static String latest(Vault v) {
        List<String> ids = v.instances(T, null, false);
        return ids.get(ids.size() - 1);
    }

    @Test
    void filesArePublishedWithTheInstanceAndTheTableSwitchesToThem() throws IOException {
        try (Vault v = open()) {
            v.createTable(T, TableOptions.defaults());
            setup(v, "v1", "ink");
            v.executeInstance(T, ExecuteOptions.defaults().version("v1"));
            String first = latest(v);
            assertThat(v.description(T).artifactInstance()).isEqualTo(first);
            Path folder = v.artifactFolder(T, first);
            assertThat(Files.readString(folder.resolve("img/3.txt"))).isEqualTo("picture 3 ink");
            assertThat(v.dataframe(T, ReadOptions.latest()).column("img").get(3)).isEqualTo("img/3.txt");

            setup(v, "v2", "oil");
            v.executeInstance(T, ExecuteOptions.defaults().version("v2"));
            String second = latest(v);
            assertThat(v.description(T).artifactInstance()).isEqualTo(second);
            assertThat(Files.readString(v.artifactFolder(T, second).resolve("img/3.txt"))).isEqualTo("picture 3 oil");
            assertThat(Files.readString(folder.resolve("img/3.txt"))).isEqualTo("picture 3 ink");

            v.deleteInstance(T, first, OpOptions.defaults());
            assertThat(folder).doesNotExist();
            assertThat(v.description(T).artifactInstance()).isEqualTo(second);
        }
    }

    @ParameterizedTest(name = "prefix ''{0}''")
    @ValueSource(strings = {"", "../", "/abs/"})
    void aPathNamingNoFileInsideTheFolderRefusesTheMaterialization(String prefix) {
        try (Vault v = open()) {
            v.createTable(T, TableOptions.defaults());
            setup(v, "v1", "ink");
            drawing.skipWrite.add(prefix.isEmpty() ? 4L : -1L);
            drawing.prefix = prefix;
            TvBuilderException e = catchThrowableOfType(() -> v.executeInstance(T, ExecuteOptions.defaults()
                    .version("v1").processId("art-1")), TvBuilderException.class);
            assertThat(e.code()).isEqualTo(ErrorCode.BAD_BUILDER);
            assertThat(e.getMessage()).contains("column 'img' row " + (prefix.isEmpty() ? 4 : 0))
                    .contains(prefix.isEmpty() ? "which is not in the instance's artifact folder" : "stay inside it");
            assertThat(v.instances(T, null, false)).isEmpty();
            assertThat(v.description(T).artifactInstance()).isNull();
            assertThat(v.activeProcesses()).isEmpty();
        }
    }

    @Test
    void aStopMaterializedInstanceKeepsItsFilesToItself() throws IOException {
        try (Vault v = open()) {
            v.createTable(T, TableOptions.defaults());
            setup(v, "v1", "ink");
            v.executeInstance(T, ExecuteOptions.defaults().version("v1"));
            String good = latest(v);
            setup(v, "v2", "oil");
            drawing.fail.add(3L);
            catchThrowableOfType(() -> v.executeInstance(T, ExecuteOptions.defaults().version("v2").processId("art-2")
                    .checkpointRows(1)), IllegalStateException.class);
            v.stopProcess("art-2", StopOptions.defaults().materialize(true));
            String partial = latest(v);
            assertThat(v.description(T, partial).success()).isFalse();
            assertThat(v.description(T).artifactInstance()).isEqualTo(good);
            assertThat(Files.readString(v.artifactFolder(T, partial).resolve("img/1.txt"))).isEqualTo("picture 1 oil");
            assertThat(Files.readString(v.artifactFolder(T, good).resolve("img/1.txt"))).isEqualTo("picture 1 ink");
        }
    }

    @Test
    void carriedOverValuesBringTheirFilesAlong() throws IOException {
        try (Vault v = open()) {
            v.createTable(T, TableOptions.defaults().multipleArtifacts(true));
            setup(v, "v1", "ink");
            v.executeInstance(T, ExecuteOptions.defaults().version("v1"));
            String first = latest(v);
            v.createInstance(T, InstanceOptions.defaults().version("v1").originId(first));
            drawing.fail.add(0L); // would fail if img ran again: it is clean
            v.executeInstance(T, ExecuteOptions.defaults().version("v1"));
            String second = latest(v);
            assertThat(second).isNotEqualTo(first);
            v.deleteInstance(T, first, OpOptions.defaults());
            assertThat(Files.readString(v.artifactFolder(T, second).resolve("img/2.txt"))).isEqualTo("picture 2 ink");
        }
    }

    /** An external-edit temporary instance with files {@code a/0.txt} and {@code a/1.txt} staged; its folder. */
    private static Path stageWrite(Vault v) throws IOException {
        v.createInstance(T, InstanceOptions.defaults().version("w").externalEdit(true));
        Path staging = v.artifactFolder(T, "TEMP_w");
        Files.createDirectories(staging.resolve("a"));
        Files.writeString(staging.resolve("a/0.txt"), "scan 0");
        Files.writeString(staging.resolve("a/1.txt"), "scan 1");
        return staging;
    }

    private static Frame scans(String... paths) {
        Frame.Builder f = Frame.builder().column("id", ColumnType.LONG).column("scan", ColumnType.ARTIFACT);
        for (int i = 0; i < paths.length; i++) {
            f.row((long) i, paths[i]);
        }
        return f.build();
    }

    @Test
    void writeInstanceTakesItsFilesFromTheStagingFolder() throws IOException {
        try (Vault v = open()) {
            v.createTable(T, TableOptions.defaults());
            Path staging = stageWrite(v);
            String id = v.writeInstance(T, scans("a/0.txt", null, "a/1.txt"), WriteOptions.defaults().version("w"));
            String written = latest(v);
            assertThat(v.description(T).artifactInstance()).isEqualTo(written);
            assertThat(Files.readString(v.artifactFolder(T, written).resolve("a/0.txt"))).isEqualTo("scan 0");
            assertThat(Files.readString(v.artifactFolder(T, written).resolve("a/1.txt"))).isEqualTo("scan 1");
            assertThat(staging).as("the staging folder goes once the write is durable").doesNotExist();
            assertThat(id).isNotBlank();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"a/missing.txt", "../a/0.txt", "/etc/hostname"})
    void writeInstanceRefusesAPathNamingNoStagedFileAndKeepsTheStagedOnes(String bad) throws IOException {
        try (Vault v = open()) {
            v.createTable(T, TableOptions.defaults());
            Path staging = stageWrite(v);
            TvArgumentException e = catchThrowableOfType(() -> v.writeInstance(T, scans("a/0.txt", bad),
                    WriteOptions.defaults().version("w")), TvArgumentException.class);
            assertThat(e.code()).isEqualTo(ErrorCode.BAD_ARGUMENT);
            assertThat(e.getMessage()).contains("'scan' row 1").contains(bad).contains("artifactFolder");
            assertThat(v.instances(T, null, false)).as("nothing materialized").isEmpty();
            assertThat(v.artifactFolder(T, "TEMP_w")).as("the temporary instance is still there").isEqualTo(staging);
            assertThat(Files.readString(staging.resolve("a/0.txt"))).isEqualTo("scan 0");
            try (var folders = Files.list(home.dir().resolve("artifacts"))) {
                assertThat(folders.map(f -> f.getFileName().toString()))
                        .as("no folder left for the reverted write's instance").containsExactly("temp");
            }
            v.writeInstance(T, scans("a/0.txt", "a/1.txt"), WriteOptions.defaults().version("w"));
            assertThat(Files.readString(v.artifactFolder(T, latest(v)).resolve("a/1.txt"))).isEqualTo("scan 1");
        }
    }

    @Test
    void stagingFoldersFollowTheirTemporaryInstanceAndTable() throws IOException {
        try (Vault v = open()) {
            v.createTable(T, TableOptions.defaults());
            Path staging = stageWrite(v);
            v.deleteInstance(T, "TEMP_w", OpOptions.defaults());
            assertThat(staging).doesNotExist();

            staging = stageWrite(v);
            v.renameTable(T, "scans", OpOptions.defaults());
            assertThat(staging).doesNotExist();
            Path moved = v.artifactFolder("scans", "TEMP_w");
            assertThat(Files.readString(moved.resolve("a/1.txt"))).isEqualTo("scan 1");
            v.deleteTable("scans", OpOptions.defaults());
            assertThat(moved).doesNotExist();

            v.createTable(T, TableOptions.defaults());
            v.createInstance(T, InstanceOptions.defaults().version("w").externalEdit(true));
            assertThat(v.artifactFolder(T, "TEMP_w")).as("a new temporary instance starts empty").isEmptyDirectory();
        }
    }
}
