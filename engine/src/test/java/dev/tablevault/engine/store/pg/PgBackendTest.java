package dev.tablevault.engine.store.pg;

import dev.tablevault.api.Durability;
import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.TableVaultException;
import dev.tablevault.engine.store.BackendContract;
import dev.tablevault.engine.store.Backend;
import dev.tablevault.engine.store.Batch;
import dev.tablevault.engine.store.Family;
import dev.tablevault.engine.store.ReadView;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;

import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** {@link PgBackend} against the {@link BackendContract}, plus what only a shared PostgreSQL vault does. */
final class PgBackendTest extends BackendContract {
    private static String url;

    static synchronized String url() {
        if (url == null) {
            url = PgCluster.shared().database("pg_backend");
        }
        return url;
    }

    /** Skips the whole class, before any backend is opened, where PostgreSQL is not installed. */
    @BeforeAll
    static void needsPostgres() {
        url();
    }

    @Override
    protected Backend open() {
        PgBackend b = PgBackend.open(url(), true, false, Durability.SYNC, 4, 1 << 20);
        sql("TRUNCATE tv_meta, tv_proc, tv_lockrecs, tv_data, tv_runs CASCADE");
        return b;
    }

    private PgBackend pg() {
        return (PgBackend) backend;
    }

    @AfterEach
    void everyConnectionIsBackInThePool() {
        assertThat(pg().activeConnections()).isZero();
    }

    static void sql(String statement) {
        try (Connection c = DriverManager.getConnection(url()); Statement s = c.createStatement()) {
            s.execute(statement);
        } catch (SQLException e) {
            throw new IllegalStateException(statement, e);
        }
    }

    static long count(String query) {
        try (Connection c = DriverManager.getConnection(url()); Statement s = c.createStatement();
             ResultSet r = s.executeQuery(query)) {
            r.next();
            return r.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(query, e);
        }
    }

    /** Ends the server process behind {@code pid} and waits until it is gone. */
    static void terminate(int pid) {
        sql("SELECT pg_terminate_backend(" + pid + ", 10000)");
    }

    private static int backendPid(Connection c) throws SQLException {
        return c.unwrap(PGConnection.class).getBackendPID();
    }

    @Test
    void kindLocationAndOwnership() {
        assertThat(backend.kind()).isEqualTo("postgresql");
        assertThat(backend.location()).isEqualTo(url());
        assertThat(backend.sharedOwners()).isTrue();
        assertThat(backend.mirror()).isNull();
        assertThat(backend.durability()).isEqualTo(Durability.SYNC);
    }

    @Test
    void aMatchingFenceCommitsAndAStaleOneWritesNothing() {
        sql("INSERT INTO tv_runs (pid, state, owner_host, fence, updated) VALUES ('p1', 'RUNNING', 'h1', 5,"
                + " now() - interval '1 hour')");
        Batch ok = new Batch();
        ok.requireFence("p1", 5);
        ok.put(Family.PROC, b(1), b(1));
        backend.write(ok);
        assertThat(backend.get(Family.PROC, b(1))).containsExactly(1);
        assertThat(count("SELECT count(*) FROM tv_runs WHERE updated > now() - interval '1 minute'")).isEqualTo(1);

        sql("UPDATE tv_runs SET fence = 6");
        for (String pid : List.of("p1", "p2")) {
            Batch stale = new Batch();
            stale.requireFence(pid, 5);
            stale.put(Family.PROC, b(2), b(2));
            stale.put(Family.DATA, b(2), b(2));
            boolean[] ran = {false};
            stale.onWritten(() -> ran[0] = true);
            TableVaultException e = catchThrowableOfType(() -> backend.write(stale), TableVaultException.class);
            assertThat(e.code()).isEqualTo(ErrorCode.PROCESS_FENCED);
            assertThat(e.getMessage()).contains("process " + pid, "fence 5");
            assertThat(ran[0]).isFalse();
        }
        assertThat(backend.get(Family.PROC, b(2))).isNull();
        assertThat(backend.get(Family.DATA, b(2))).isNull();
    }

    @Test
    void theFenceCheckHoldsTheProcessRowUntilTheCommit() {
        sql("INSERT INTO tv_runs (pid, state, owner_host, fence) VALUES ('p1', 'RUNNING', 'h1', 5)");
        List<String> takeover = new ArrayList<>();
        pg().committer = c -> {
            // a takeover between the fence check and the commit must wait: with no waiting allowed, it fails
            try (Connection other = DriverManager.getConnection(url()); Statement s = other.createStatement()) {
                s.execute("SET lock_timeout = '50ms'");
                s.execute("UPDATE tv_runs SET fence = fence + 1 WHERE pid = 'p1'");
                takeover.add("took over");
            } catch (SQLException e) {
                takeover.add(e.getSQLState());
            }
            c.commit();
        };
        Batch batch = new Batch();
        batch.requireFence("p1", 5);
        batch.put(Family.PROC, b(1), b(1));
        backend.write(batch);
        assertThat(takeover).containsExactly("55P03");
        assertThat(backend.get(Family.PROC, b(1))).containsExactly(1);
    }

    @Test
    void aFailingStatementInsideABatchLeavesNothing() {
        byte[] huge = new byte[9000];
        new Random(1).nextBytes(huge);
        Batch batch = new Batch();
        batch.put(Family.META, b(1), b(1));
        batch.put(Family.PROC, b(1), b(1));
        batch.put(Family.DATA, huge, b(1)); // too large for a B-tree index entry: the server refuses it
        TableVaultException e = catchThrowableOfType(() -> backend.write(batch), TableVaultException.class);
        assertThat(e.code()).isEqualTo(ErrorCode.IO);
        assertThat(e.getMessage()).contains(url(), "54000");
        assertThat(backend.get(Family.META, b(1))).isNull();
        assertThat(backend.get(Family.PROC, b(1))).isNull();
    }

    @Test
    void aBatchAboveTheBoundIsRefusedBeforeAnythingIsSent() {
        Batch batch = new Batch();
        batch.put(Family.META, b(1), b(1));
        batch.put(Family.DATA, b(2), new byte[1 << 20]);
        assertThatThrownBy(() -> backend.write(batch)).isInstanceOfSatisfying(TableVaultException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_ARGUMENT))
                .hasMessageContaining("1048579 bytes").hasMessageContaining("bound of 1048576 bytes");
        assertThat(backend.get(Family.META, b(1))).isNull();
    }

    @Test
    void aLostAcknowledgementOfACommitThatHappenedIsCommitUnknown() {
        pg().committer = c -> {
            int pid = backendPid(c);
            c.commit();
            terminate(pid);
            throw new PSQLException("An I/O error occurred while sending to the backend.",
                    PSQLState.CONNECTION_FAILURE);
        };
        Batch batch = new Batch();
        batch.put(Family.PROC, b(1), b(1));
        batch.put(Family.DATA, b(2), b(2));
        boolean[] ran = {false};
        batch.onWritten(() -> ran[0] = true);
        TableVaultException e = catchThrowableOfType(() -> backend.write(batch), TableVaultException.class);
        assertThat(e.code()).isEqualTo(ErrorCode.COMMIT_UNKNOWN);
        assertThat(e.getMessage()).contains(url(), "2 changes");
        assertThat(ran[0]).isFalse();
        // re-reading settles it: the batch was written
        assertThat(backend.get(Family.PROC, b(1))).containsExactly(1);
        assertThat(backend.get(Family.DATA, b(2))).containsExactly(2);
    }

    @Test
    void aConnectionLostBeforeTheCommitArrivesIsCommitUnknownAndNothingIsWritten() {
        pg().committer = c -> {
            terminate(backendPid(c));
            c.commit(); // pgjdbc's own error: the server is gone
        };
        Batch batch = new Batch();
        batch.put(Family.PROC, b(1), b(1));
        TableVaultException e = catchThrowableOfType(() -> backend.write(batch), TableVaultException.class);
        assertThat(e.code()).isEqualTo(ErrorCode.COMMIT_UNKNOWN);
        pg().committer = Connection::commit;
        assertThat(backend.get(Family.PROC, b(1))).isNull();
        backend.write(batch); // the same batch again, now that the first is known not written
        assertThat(backend.get(Family.PROC, b(1))).containsExactly(1);
    }

    @Test
    void killedConnectionsFailWithIoOrWorkNeverSilently() {
        write(w -> w.put(Family.META, b(1), b(1)));
        try (ReadView warm = backend.view(); ReadView warm2 = warm.borrow()) {
            assertThat(warm2.get(Family.META, b(1))).containsExactly(1); // two pooled connections now exist
        }
        sql("SELECT pg_terminate_backend(pid, 10000) FROM pg_stat_activity WHERE datname = current_database()"
                + " AND pid <> pg_backend_pid()");
        List<ErrorCode> failures = new ArrayList<>();
        byte[] read = null;
        for (int attempt = 0; attempt < 6 && read == null; attempt++) {
            try {
                read = backend.get(Family.META, b(1));
                assertThat(read).containsExactly(1);
            } catch (TableVaultException e) {
                failures.add(e.code());
                assertThat(e.getMessage()).contains(url());
            }
        }
        assertThat(read).containsExactly(1);
        assertThat(failures).allMatch(c -> c == ErrorCode.IO).hasSizeLessThan(6);
        write(w -> w.put(Family.META, b(2), b(2)));
        assertThat(backend.get(Family.META, b(2))).containsExactly(2);
    }

    @Test
    void aViewWhoseConnectionIsKilledFailsWithIoAndStillCloses() throws Exception {
        write(w -> w.put(Family.META, b(1), b(1)));
        ReadView view = backend.view();
        assertThat(view.get(Family.META, b(1))).containsExactly(1);
        sql("SELECT pg_terminate_backend(pid, 10000) FROM pg_stat_activity WHERE datname = current_database()"
                + " AND pid <> pg_backend_pid()");
        assertThatThrownBy(() -> view.get(Family.META, b(1))).isInstanceOfSatisfying(TableVaultException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.IO)).hasMessageContaining(url());
        assertThatThrownBy(view::borrow).isInstanceOf(TableVaultException.class);
        view.close();
        assertThat(pg().activeConnections()).isZero();
    }

    @Test
    void largeValuesComeBackByteForByte() {
        byte[] big = new byte[900_000];
        new Random(7).nextBytes(big);
        byte[] zeros = new byte[100_000];
        write(w -> {
            w.put(Family.DATA, b(1), big);
            w.put(Family.DATA, b(2), zeros);
            w.put(Family.DATA, b(3), b());
        });
        assertThat(backend.get(Family.DATA, b(1))).isEqualTo(big);
        List<byte[]> values = new ArrayList<>();
        backend.scan(Family.DATA, b(), (k, v) -> values.add(v));
        assertThat(values).hasSize(3);
        assertThat(values.get(0)).isEqualTo(big);
        assertThat(values.get(1)).isEqualTo(zeros);
        assertThat(values.get(2)).isEmpty();
    }

    @Test
    void anUnreachableServerIsIoNamingTheUrlWithoutItsPassword() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String u = "postgresql://tv:s3cret@127.0.0.1:" + port + "/vault";
        assertThatThrownBy(() -> PgBackend.open(u, true, false, Durability.SYNC))
                .isInstanceOfSatisfying(TableVaultException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.IO))
                .hasMessageContaining("postgresql://tv@127.0.0.1:" + port + "/vault")
                .hasMessageNotContaining("s3cret");
    }

    @Test
    void opensAPostgresqlUrlAsTvVaultTakesIt() {
        String db = url().substring(url().lastIndexOf('/') + 1, url().indexOf('?'));
        String u = "postgresql://postgres:unused@127.0.0.1:" + PgCluster.shared().port() + "/" + db;
        try (PgBackend other = PgBackend.open(u, false, false, Durability.SYNC)) {
            write(w -> w.put(Family.META, b(9), b(9)));
            assertThat(other.get(Family.META, b(9))).containsExactly(9);
            assertThat(other.location()).isEqualTo("postgresql://postgres@127.0.0.1:" + PgCluster.shared().port()
                    + "/" + db);
        }
    }

    @Test
    void readOnlyRefusesWritesAndReads() {
        write(w -> w.put(Family.META, b(1), b(1)));
        try (PgBackend ro = PgBackend.open(url(), false, true, Durability.SYNC)) {
            assertThat(ro.readOnly()).isTrue();
            assertThat(ro.get(Family.META, b(1))).containsExactly(1);
            Batch batch = new Batch();
            batch.put(Family.META, b(2), b(2));
            assertThatThrownBy(() -> ro.write(batch)).isInstanceOfSatisfying(TableVaultException.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.READ_ONLY));
            // the pool's connections are read-only too: a write slipped past the check is refused by the server
            try (Connection c = ro.connection(); Statement s = c.createStatement()) {
                assertThatThrownBy(() -> s.execute("INSERT INTO tv_meta VALUES ('\\x02', '\\x02')"))
                        .isInstanceOfSatisfying(SQLException.class,
                                x -> assertThat(x.getSQLState()).isEqualTo("25006"));
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
            ro.sync();
        }
        assertThat(backend.get(Family.META, b(2))).isNull();
    }

    @Test
    void durabilityGroupedCommitsAsynchronouslyAndSyncFlushes() {
        List<String> modes = new ArrayList<>();
        try (PgBackend grouped = PgBackend.open(url(), false, false, Durability.GROUPED)) {
            grouped.committer = c -> {
                modes.add(setting(c));
                c.commit();
            };
            Batch batch = new Batch();
            batch.put(Family.META, b(3), b(3));
            grouped.write(batch);
            grouped.sync();
            assertThat(grouped.durability()).isEqualTo(Durability.GROUPED);
        }
        pg().committer = c -> {
            modes.add(setting(c));
            c.commit();
        };
        write(w -> w.put(Family.META, b(4), b(4)));
        assertThat(modes).containsExactly("off", "on");
        assertThat(backend.get(Family.META, b(3))).containsExactly(3);
    }

    private static String setting(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SHOW synchronous_commit"); ResultSet r = s.executeQuery()) {
            r.next();
            return r.getString(1);
        }
    }

    @Test
    void verifyAndSizes() {
        write(w -> w.put(Family.DATA, b(1), new byte[100_000]));
        backend.verifyStorage();
        assertThat(backend.dataBytes()).isGreaterThan(100_000);
        assertThat(backend.logBytes()).isGreaterThan(0); // the test server's role is a superuser
        backend.sync();
    }

    @Test
    void serverErrorsMapToTypedCodes() {
        assertThat(PgErrors.of(new SQLException("invalid page in block 7", "XX001"), "loc", "reading").code())
                .isEqualTo(ErrorCode.CORRUPTION);
        assertThat(PgErrors.of(new SQLException("could not extend file", "53100"), "loc", "writing").code())
                .isEqualTo(ErrorCode.DISK_FULL);
        assertThat(PgErrors.of(new SQLException("terminating connection", "57P01"), "loc", "reading"))
                .hasMessageContaining("loc").hasMessageContaining("running and reachable")
                .extracting(TableVaultException::code).isEqualTo(ErrorCode.IO);
    }
}
