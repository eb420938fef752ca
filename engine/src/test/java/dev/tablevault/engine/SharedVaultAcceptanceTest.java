package dev.tablevault.engine;

import dev.tablevault.api.BuildContext;
import dev.tablevault.api.BuilderSpec;
import dev.tablevault.api.ColumnType;
import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.ExecuteOptions;
import dev.tablevault.api.Frame;
import dev.tablevault.api.InstanceOptions;
import dev.tablevault.api.OpOptions;
import dev.tablevault.api.ProcessState;
import dev.tablevault.api.ReadOptions;
import dev.tablevault.api.RowBuilder;
import dev.tablevault.api.RowCursor;
import dev.tablevault.api.StopOptions;
import dev.tablevault.api.TableOptions;
import dev.tablevault.api.TableVaultException;
import dev.tablevault.api.Vault;
import dev.tablevault.api.VaultOptions;
import dev.tablevault.api.WriteOptions;
import dev.tablevault.engine.store.pg.PgCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The engine on a vault shared by hosts (PostgreSQL): the whole life of a table, a
 * paused and resumed execution, a read-only reader beside the writer, two writing hosts, and a writer killed
 * mid-execution whose process a restart finishes. Runs against {@link PgCluster}'s throw-away server.
 */
class SharedVaultAcceptanceTest {
    private static final String T = "stories";
    private static final int ROWS = 3000;

    @TempDir
    Path tmp;

    /** The application's own failure, as a model API would raise it. */
    static final class ServiceDown extends Exception {
        private static final long serialVersionUID = 1L;

        ServiceDown(String m) {
            super(m);
        }
    }

    /** {@code "v<id>"} for every row; fails once at each row in {@link #failOnce}. */
    static final class Text implements RowBuilder {
        final Set<Long> failOnce = ConcurrentHashMap.newKeySet();

        @Override
        public List<Object> build(BuildContext ctx, long row) throws ServiceDown {
            if (failOnce.remove(row)) {
                throw new ServiceDown("service down at row " + row);
            }
            return List.of("v" + ctx.value("id", row));
        }
    }

    private final Text text = new Text();

    private VaultOptions options(String host) {
        return VaultOptions.defaults().author("t").hostId(host).localDir(tmp.resolve(host))
                .lockTimeout(Duration.ZERO).builder("text", text);
    }

    static BuilderSpec index(int rows) {
        return BuilderSpec.fromYaml("name: stories_index\ntype: index\nbuilder: range\nchangedColumns: [id]\n"
                + "types: {id: long}\narguments: {count: " + rows + "}\n");
    }

    static BuilderSpec column() {
        return BuilderSpec.fromYaml("name: text\ntype: column\nbuilder: text\nchangedColumns: [text]\n"
                + "dependencies: [stories_index]\n");
    }

    static List<Object> expected(int rows) {
        List<Object> l = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            l.add("v" + i);
        }
        return l;
    }

    @Test
    void aSharedVaultLivesThroughEveryOperationAndAReopen() {
        String url = PgCluster.shared().database("acceptance");
        Frame f = Frame.builder().column("id", ColumnType.LONG).column("name", ColumnType.STRING)
                .row(1L, "a").row(2L, null).row(3L, "c").build();
        String paused = "exec-paused";
        try (Vault v = TableVault.open(url, options("writer").create(true))) {
            v.createTable("frames", TableOptions.defaults());
            v.createInstance("frames", InstanceOptions.defaults().externalEdit(true));
            v.writeInstance("frames", f, WriteOptions.defaults());
            assertThat(v.dataframe("frames", ReadOptions.latest())).isEqualTo(f);
            try (RowCursor c = v.rows("frames", ReadOptions.latest())) {
                assertThat(c.next()).containsExactly(1L, "a");
                Frame rest = c.nextBatch();
                assertThat(rest.rowCount()).isEqualTo(2);
                assertThat(rest.column("id")).containsExactly(2L, 3L);
                assertThat(c.hasNext()).isFalse();
            }

            v.createTable(T, TableOptions.defaults());
            v.createInstance(T, InstanceOptions.defaults().version("base"));
            v.putBuilder(T, "base", index(ROWS), OpOptions.defaults());
            v.putBuilder(T, "base", column(), OpOptions.defaults());
            text.failOnce.add(2500L);
            ServiceDown down = catchThrowableOfType(() -> v.executeInstance(T, ExecuteOptions.defaults()
                    .checkpointRows(500).checkpointMillis(3_600_000).processId(paused)), ServiceDown.class);
            assertThat(down).hasMessage("service down at row 2500");
            assertThat(v.process(paused).state()).isEqualTo(ProcessState.PAUSED);
            assertThat(v.activeProcesses()).containsOnlyKeys(paused);

            try (Vault reader = TableVault.open(url, options("reader").readOnly(true))) {
                assertThat(reader.tables()).containsExactlyInAnyOrder("frames", T);
                assertThat(reader.dataframe("frames", ReadOptions.latest())).isEqualTo(f);
                assertThat(reader.activeProcesses()).containsOnlyKeys(paused);
                assertThat(catchThrowableOfType(() -> reader.createTable("nope", TableOptions.defaults()),
                        TableVaultException.class).code()).isEqualTo(ErrorCode.READ_ONLY);
            }

            assertThat(v.resumeProcess(paused)).isNotNull();
            assertThat(v.isProcessComplete(paused)).isTrue();
            assertThat(v.dataframe(T, ReadOptions.latest()).column("text")).isEqualTo(expected(ROWS));

            v.createInstance(T, InstanceOptions.defaults().version("base").copy(true));
            text.failOnce.add(10L);
            String stopped = "exec-stopped";
            catchThrowableOfType(() -> v.executeInstance(T, ExecuteOptions.defaults().force(true)
                    .checkpointRows(500).processId(stopped)), ServiceDown.class);
            assertThat(v.process(stopped).state()).isEqualTo(ProcessState.PAUSED);
            v.stopProcess(stopped, StopOptions.defaults());
            assertThat(v.process(stopped).state()).isEqualTo(ProcessState.STOPPED);
            assertThat(v.instances(T, null, false)).hasSize(1);

            v.renameTable(T, "tales", OpOptions.defaults());
            v.deleteTable("frames", OpOptions.defaults());
            assertThat(v.tables()).containsExactly("tales");
            assertThat(v.verify().ok()).as("%s", v.verify()).isTrue();
            assertThat(v.processHistory(100)).extracting(p -> p.id()).contains(paused, stopped);
            assertThat(v.activeProcesses()).isEmpty();
            assertThat(v.locks()).isEmpty();
        }
        try (Vault v = TableVault.open(url, options("writer"))) {
            assertThat(v.tables()).containsExactly("tales");
            assertThat(v.dataframe("tales", ReadOptions.latest()).column("text")).isEqualTo(expected(ROWS));
            assertThat(v.process(paused).state()).isEqualTo(ProcessState.COMMITTED);
            assertThat(v.verify().ok()).as("%s", v.verify()).isTrue();
        }
    }

    @Test
    void openingByUrlCreatesOnceAndNeedsAVault() {
        String url = PgCluster.shared().database("opening");
        TableVaultException missing = catchThrowableOfType(() -> TableVault.open(url, options("a")),
                TableVaultException.class);
        assertThat(missing.code()).isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(missing.hint()).isNotNull();
        TableVault.open(url, options("a").create(true)).close();
        TableVaultException again = catchThrowableOfType(() -> TableVault.open(url, options("a").create(true)),
                TableVaultException.class);
        assertThat(again.code()).isEqualTo(ErrorCode.ALREADY_EXISTS);
        assertThat(catchThrowableOfType(() -> TableVault.recover(url, VaultOptions.defaults()),
                TableVaultException.class).code()).isEqualTo(ErrorCode.BAD_ARGUMENT);
    }

    @Test
    void aSecondWritingHostWritesBesideTheFirstButASecondOpenUnderOneHostIdIsRefused() {
        String url = PgCluster.shared().database("two_writers");
        try (Vault first = TableVault.open(url, options("first").create(true));
             Vault second = TableVault.open(url, options("second"))) {
            first.createTable("a", TableOptions.defaults());
            second.createTable("b", TableOptions.defaults());
            assertThat(first.tables()).containsExactly("a", "b");
            TableVaultException sameId = catchThrowableOfType(() -> TableVault.open(url, options("first")),
                    TableVaultException.class);
            assertThat(sameId.code()).as("a second open under the same host id would end the first's lease")
                    .isEqualTo(ErrorCode.VAULT_LOCKED);
            assertThat(sameId.getMessage()).contains("host id first", "OS pid " + ProcessHandle.current().pid(),
                    "lease until", "VaultOptions.hostId");
            assertThat(hostStates(url)).containsExactlyInAnyOrder("first LIVE", "second LIVE");
        }
    }

    @Test
    void aHostWhoseLeaseWasTakenStopsWriting() throws SQLException {
        String url = PgCluster.shared().database("lost_lease");
        try (Vault v = TableVault.open(url, options("w").create(true).leaseTtl(Duration.ofMinutes(1)))) {
            v.createTable("a", TableOptions.defaults());
            // what a sweeper does to a host it declared dead; the next renewal finds the row gone
            sql(url, "UPDATE tv_hosts SET state = 'DEAD', epoch = epoch + 1");
            forceRenewal(v);
            TableVaultException e = catchThrowableOfType(() -> v.createTable("b", TableOptions.defaults()),
                    TableVaultException.class);
            assertThat(e.code()).isEqualTo(ErrorCode.PROCESS_FENCED);
            assertThat(e.getMessage()).contains("host w", "declared dead");
            assertThat(v.tables()).containsExactly("a");
        }
    }

    @Test
    void artifactColumnsNeedAnArtifactRootOnASharedVault() {
        String url = PgCluster.shared().database("artifacts");
        Frame f = Frame.builder().column("file", ColumnType.ARTIFACT).row("a.txt").build();
        try (Vault v = TableVault.open(url, options("w").create(true))) {
            v.createTable("files", TableOptions.defaults());
            v.createInstance("files", InstanceOptions.defaults().version("w").externalEdit(true));
            TableVaultException e = catchThrowableOfType(() -> v.writeInstance("files", f,
                            WriteOptions.defaults().version("w")),
                    TableVaultException.class);
            assertThat(e.code()).isEqualTo(ErrorCode.BAD_ARGUMENT);
            assertThat(e.getMessage()).contains("ARTIFACT column 'file'", "VaultOptions.artifactRoot");
        }
        Path root = tmp.resolve("shared-artifacts");
        try (Vault v = TableVault.open(url, options("w").artifactRoot(root))) {
            java.nio.file.Files.writeString(v.artifactFolder("files", "TEMP_w").resolve("a.txt"), "hello");
            v.writeInstance("files", f, WriteOptions.defaults().version("w"));
            String id = v.instances("files", null, false).get(0);
            Path folder = v.artifactFolder("files", id);
            assertThat(folder).startsWith(root);
            assertThat(folder.resolve("a.txt")).hasContent("hello");
            assertThat(v.verify().ok()).as("%s", v.verify()).isTrue();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Renews {@code v}'s lease now, as the heartbeat would, so the test need not wait for it. */
    private static void forceRenewal(Vault v) {
        dev.tablevault.engine.store.pg.PgHostsForTests.renew(((VaultImpl) v).store());
    }

    static List<String> hostStates(String url) {
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT host_id || ' ' || state FROM tv_hosts")) {
            while (r.next()) {
                out.add(r.getString(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    static void sql(String url, String statement) throws SQLException {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }
}
