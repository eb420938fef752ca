package dev.tablevault.engine;

import dev.tablevault.api.BuildContext;
import dev.tablevault.api.BuilderSpec;
import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.ExecuteOptions;
import dev.tablevault.api.InstanceOptions;
import dev.tablevault.api.OpOptions;
import dev.tablevault.api.ProcessInfo;
import dev.tablevault.api.ProcessState;
import dev.tablevault.api.ReadOptions;
import dev.tablevault.api.RowBuilder;
import dev.tablevault.api.TableOptions;
import dev.tablevault.api.TableVaultException;
import dev.tablevault.api.Vault;
import dev.tablevault.api.VaultOptions;
import dev.tablevault.engine.store.pg.PgCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Processes on a shared vault are tracked and fenced in {@code tv_runs}: the run row moves with the process record
 * (started by its first persisted commit, paused with no owner by its pause, deleted with its lock rows by its end),
 * a resume claims it under a new fence, and a host whose process was taken over (a zombie) writes nothing more of it.
 */
class SharedVaultFenceTest {
    private static final String T = "stories";
    private static final int ROWS = 3000;

    @TempDir
    Path tmp;

    /** {@code "v<id>"} for every row; fails once at the rows in {@link #failOnce}, runs a hook once at others. */
    static final class Hooked implements RowBuilder {
        final Set<Long> failOnce = ConcurrentHashMap.newKeySet();
        final Map<Long, Runnable> hooks = new ConcurrentHashMap<>();

        @Override
        public List<Object> build(BuildContext ctx, long row) throws SharedVaultAcceptanceTest.ServiceDown {
            if (failOnce.remove(row)) {
                throw new SharedVaultAcceptanceTest.ServiceDown("service down at row " + row);
            }
            Runnable hook = hooks.remove(row);
            if (hook != null) {
                hook.run();
            }
            return List.of("v" + ctx.value("id", row));
        }
    }

    private final Hooked text = new Hooked();

    private VaultOptions options(String host) {
        return VaultOptions.defaults().author("t").hostId(host).adoptOrphans(false).localDir(tmp.resolve(host))
                .lockTimeout(Duration.ZERO).builder("text", text);
    }

    private static BuilderSpec column() {
        return BuilderSpec.fromYaml("name: text\ntype: column\nbuilder: text\nchangedColumns: [text]\n"
                + "dependencies: [stories_index]\n");
    }

    private static ExecuteOptions execute(String pid) {
        return ExecuteOptions.defaults().checkpointRows(500).checkpointMillis(3_600_000).processId(pid);
    }

    /** A run row as the database holds it: state, owner and fence; null when there is none. */
    record Run(String state, String owner, long fence) {
    }

    static Run run(String url, String pid) {
        try (Connection c = DriverManager.getConnection(url);
             PreparedStatement s = c.prepareStatement("SELECT state, owner_host, fence FROM tv_runs WHERE pid = ?")) {
            s.setString(1, pid);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? new Run(r.getString(1), r.getString(2), r.getLong(3)) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static int sql(String url, String statement, Object... args) {
        try (Connection c = DriverManager.getConnection(url); PreparedStatement s = c.prepareStatement(statement)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            return s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private void setUp(Vault v) {
        v.createTable(T, TableOptions.defaults());
        v.createInstance(T, InstanceOptions.defaults().version("base"));
        v.putBuilder(T, "base", SharedVaultAcceptanceTest.index(ROWS), OpOptions.defaults());
        v.putBuilder(T, "base", column(), OpOptions.defaults());
    }

    @Test
    void theRunRowIsPausedWithTheProcessClaimedUnderANewFenceOnResumeAndDeletedWithItsLocksAtTheEnd() {
        String url = PgCluster.shared().database("fence_run");
        String pid = "exec-run";
        try (Vault v = TableVault.open(url, options("writer").create(true))) {
            setUp(v);
            Run[] during = new Run[1];
            text.failOnce.add(2500L);
            catchThrowableOfType(() -> v.executeInstance(T, execute(pid)),
                    SharedVaultAcceptanceTest.ServiceDown.class);
            assertThat(v.process(pid).state()).isEqualTo(ProcessState.PAUSED);
            assertThat(run(url, pid)).as("paused with no owner").isEqualTo(new Run("PAUSED", null, 1));

            // a lock row of the paused run (the engine's locks are not rows yet): the end must take it along
            sql(url, "INSERT INTO tv_locks (resource, pid, mode, grp) VALUES ('table:" + T + "', ?, 'X', ?)", pid, T);
            // another live host holds the run: the resume is refused, naming it
            sql(url, "INSERT INTO tv_hosts (host_id, os_pid, boot_id, epoch, lease_until, state) VALUES"
                    + " ('elsewhere', 1, 'b', 1, now() + interval '1 hour', 'LIVE')");
            sql(url, "UPDATE tv_runs SET state = 'RUNNING', owner_host = 'elsewhere', fence = 1 WHERE pid = ?", pid);
            TableVaultException held = catchThrowableOfType(() -> v.resumeProcess(pid), TableVaultException.class);
            assertThat(held.code()).isEqualTo(ErrorCode.PROCESS_STATE);
            assertThat(held).hasMessageContaining("on host elsewhere");
            assertThat(v.process(pid).state()).isEqualTo(ProcessState.PAUSED);
            sql(url, "UPDATE tv_runs SET state = 'PAUSED', owner_host = NULL WHERE pid = ?", pid);
            sql(url, "DELETE FROM tv_hosts WHERE host_id = 'elsewhere'");

            text.hooks.put(2800L, () -> during[0] = run(url, pid));
            v.resumeProcess(pid);
            assertThat(v.process(pid).state()).isEqualTo(ProcessState.COMMITTED);
            assertThat(during[0]).as("claimed by the resume").isEqualTo(new Run("RUNNING", "writer", 2));
            assertThat(run(url, pid)).as("deleted by the end").isNull();
            assertThat(sql(url, "DELETE FROM tv_locks WHERE pid = ?", pid)).as("lock rows deleted with the run")
                    .isZero();
            assertThat(v.dataframe(T, ReadOptions.latest()).column("text"))
                    .isEqualTo(SharedVaultAcceptanceTest.expected(ROWS));
        }
    }

    @Test
    void aZombieWritesNothingAfterATakeoverAndTheNewOwnerFinishesIt() {
        String url = PgCluster.shared().database("fence_zombie");
        String pid = "exec-zombie";
        ProcessInfo[] atTakeover = new ProcessInfo[1];
        try (Vault v = TableVault.open(url, options("zombie").create(true))) {
            setUp(v);
            // what a sweeper does when this host's lease has run out: ORPHANED, no owner, fence + 1
            text.hooks.put(1200L, () -> {
                assertThat(sql(url, "UPDATE tv_runs SET state = 'ORPHANED', owner_host = NULL, fence = fence + 1"
                        + " WHERE pid = ? AND fence = 1", pid)).isEqualTo(1);
                try (Vault reader = TableVault.open(url, options("reader").readOnly(true))) {
                    atTakeover[0] = reader.process(pid);
                }
            });
            TableVaultException fenced = catchThrowableOfType(() -> v.executeInstance(T, execute(pid)),
                    TableVaultException.class);
            assertThat(fenced.code()).isEqualTo(ErrorCode.PROCESS_FENCED);
            assertThat(v.process(pid).state()).as("dropped here, not paused").isEqualTo(ProcessState.RUNNING);
            assertThat(atTakeover[0].state()).isEqualTo(ProcessState.RUNNING);
            try (Vault reader = TableVault.open(url, options("reader").readOnly(true))) {
                ProcessInfo after = reader.process(pid);
                assertThat(after.state()).as("neither paused nor reverted by the zombie").isEqualTo(ProcessState.RUNNING);
                assertThat(after.stepsDone()).as("no step written after the takeover")
                        .isEqualTo(atTakeover[0].stepsDone());
            }
            assertThat(run(url, pid)).isEqualTo(new Run("ORPHANED", null, 2));
        }
        try (Vault v = TableVault.open(url, options("heir"))) {
            text.hooks.put(2800L, () -> assertThat(run(url, pid)).isEqualTo(new Run("RUNNING", "heir", 3)));
            v.resumeProcess(pid);
            assertThat(v.process(pid).state()).isEqualTo(ProcessState.COMMITTED);
            assertThat(text.hooks).isEmpty();
            assertThat(run(url, pid)).isNull();
            assertThat(v.dataframe(T, ReadOptions.latest()).column("text"))
                    .isEqualTo(SharedVaultAcceptanceTest.expected(ROWS));
            assertThat(v.locks()).isEmpty();
            assertThat(v.verify().ok()).as("%s", v.verify()).isTrue();
        }
    }

    @Test
    void aTakeoverMetByThePauseDropsTheProcessWithNothingOwedHere() {
        String url = PgCluster.shared().database("fence_pause");
        String pid = "exec-pause";
        try (Vault v = TableVault.open(url, options("zombie").create(true))) {
            setUp(v);
            text.hooks.put(2500L, () -> {
                sql(url, "UPDATE tv_runs SET state = 'ORPHANED', owner_host = NULL, fence = fence + 1 WHERE pid = ?",
                        pid);
                throw new IllegalStateException("model failed at row 2500");
            });
            TableVaultException fenced = catchThrowableOfType(() -> v.executeInstance(T, execute(pid)),
                    TableVaultException.class);
            assertThat(fenced.code()).isEqualTo(ErrorCode.PROCESS_FENCED);
            assertThat(v.process(pid).state()).as("no pause owed here").isEqualTo(ProcessState.RUNNING);
            assertThat(run(url, pid)).isEqualTo(new Run("ORPHANED", null, 2));
        }
    }
}
