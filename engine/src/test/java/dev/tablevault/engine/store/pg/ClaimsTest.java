package dev.tablevault.engine.store.pg;

import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.TableVaultException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClaimsTest {
    private HostsDb db;

    @BeforeEach
    void database() {
        db = HostsDb.create("claims");
    }

    private static void assertFenced(ThrowingCall call, String message) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(TableVaultException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.PROCESS_FENCED)).hasMessageContaining(message);
    }

    interface ThrowingCall {
        void run() throws Exception;
    }

    private String row(String pid) {
        return db.value("SELECT state || ' ' || fence || ' ' || coalesce(owner_host, '-') || ' ' || attempts"
                + " FROM tv_runs WHERE pid = ?", pid);
    }

    @Test
    void aLiveHostClaimsAPausedOrOrphanedRunOnceWithANewFence() throws SQLException {
        db.host("me", 2, "LIVE", 60);
        db.run("p", "PAUSED", null, 4);
        db.run("o", "ORPHANED", null, 7);
        db.run("busy", "RUNNING", "other", 1);
        try (Connection c = db.ds.getConnection()) {
            assertThat(Claims.claim(c, "p", "me", 2)).hasValue(5);
            assertThat(Claims.claim(c, "o", "me", 2)).hasValue(8);
            assertThat(Claims.claim(c, "o", "me", 2)).isEmpty();
            assertThat(Claims.claim(c, "busy", "me", 2)).isEmpty();
            assertThat(Claims.claim(c, "unknown", "me", 2)).isEmpty();
        }
        assertThat(row("p")).isEqualTo("RUNNING 5 me 1");
        assertThat(row("o")).isEqualTo("RUNNING 8 me 1");
        assertThat(row("busy")).isEqualTo("RUNNING 1 other 0");
    }

    @Test
    void aSweptOrExpiredHostCannotClaimOrBegin() throws SQLException {
        db.host("swept", 2, "DEAD", -60);
        db.host("expired", 1, "LIVE", -1);
        db.host("live", 5, "LIVE", 60);
        db.run("o", "ORPHANED", null, 3);
        try (Connection c = db.ds.getConnection()) {
            assertFenced(() -> Claims.claim(c, "o", "swept", 1), "DEAD under epoch 2");
            assertFenced(() -> Claims.claim(c, "o", "expired", 1), "lease has expired");
            assertFenced(() -> Claims.claim(c, "o", "live", 4), "LIVE under epoch 5");
            assertFenced(() -> Claims.claimOrphans(c, "swept", 1, 8), "DEAD under epoch 2");
            assertFenced(() -> Claims.begin(c, "n", null, "swept", 1), "cannot start process n");
        }
        assertThat(row("o")).isEqualTo("ORPHANED 3 - 0");
        assertThat(db.longValue("SELECT count(*) FROM tv_runs")).isEqualTo(1);
    }

    @Test
    void aClaimRacingTheSweepOfItsOwnHostWaitsForItAndIsRefused() throws Exception {
        db.host("me", 1, "LIVE", 60);
        db.run("o", "ORPHANED", null, 3);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (Connection sweep = db.ds.getConnection()) {
            sweep.setAutoCommit(false);
            sweep.createStatement().executeUpdate("UPDATE tv_hosts SET state = 'DEAD', epoch = epoch + 1");

            Future<OptionalLong> claim = pool.submit(() -> {
                try (Connection c = db.ds.getConnection()) {
                    return Claims.claim(c, "o", "me", 1);
                }
            });
            HostsDb.await("the claim to wait for the host row", () -> db.test(
                    "SELECT count(*) > 0 FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                            + " AND query LIKE 'WITH host%'"));
            sweep.commit();

            assertFenced(() -> {
                try {
                    claim.get(1, TimeUnit.MINUTES);
                } catch (ExecutionException e) {
                    throw (Exception) e.getCause();
                }
            }, "DEAD under epoch 2");
        } finally {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(1, TimeUnit.MINUTES)).isTrue();
        }
        assertThat(row("o")).isEqualTo("ORPHANED 3 - 0");
    }

    @Test
    void aClaimerSkipsTheRunsAnotherClaimerHoldsInsteadOfWaitingForThem() throws SQLException {
        db.host("a", 1, "LIVE", 60);
        db.host("b", 1, "LIVE", 60);
        for (int i = 0; i < 5; i++) {
            db.run("r" + i, "ORPHANED", null, 1);
        }
        try (Connection a = db.ds.getConnection(); Connection b = db.ds.getConnection()) {
            a.setAutoCommit(false);
            List<Claims.Claim> first = Claims.claimOrphans(a, "a", 1, 3);
            // safety net only: with SKIP LOCKED the claim never waits for a's open transaction
            b.createStatement().execute("SET lock_timeout = '30s'");
            List<Claims.Claim> second = Claims.claimOrphans(b, "b", 1, 3);
            a.commit();
            assertThat(first).extracting(Claims.Claim::pid).containsExactlyInAnyOrder("r0", "r1", "r2");
            assertThat(second).extracting(Claims.Claim::pid).containsExactlyInAnyOrder("r3", "r4");
        }
    }

    @Test
    void twoHostsClaimingOrphansAtOnceNeverGetTheSameRun() throws Exception {
        int runs = 60;
        db.host("a", 1, "LIVE", 60);
        db.host("b", 1, "LIVE", 60);
        for (int i = 0; i < runs; i++) {
            db.run(String.format("r%02d", i), "ORPHANED", null, 10);
        }
        CyclicBarrier start = new CyclicBarrier(2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<List<Claims.Claim>>> hosts = new ArrayList<>();
            for (String host : List.of("a", "b")) {
                hosts.add(pool.submit(() -> {
                    List<Claims.Claim> mine = new ArrayList<>();
                    start.await();
                    try (Connection c = db.ds.getConnection()) {
                        for (List<Claims.Claim> batch = Claims.claimOrphans(c, host, 1, 3); !batch.isEmpty();
                             batch = Claims.claimOrphans(c, host, 1, 3)) {
                            assertThat(batch).hasSizeLessThanOrEqualTo(3);
                            mine.addAll(batch);
                        }
                    }
                    return mine;
                }));
            }
            List<Claims.Claim> a = hosts.get(0).get(1, TimeUnit.MINUTES);
            List<Claims.Claim> b = hosts.get(1).get(1, TimeUnit.MINUTES);
            Set<String> all = new HashSet<>();
            for (Claims.Claim claim : a) {
                assertThat(all.add(claim.pid())).isTrue();
                assertThat(claim.fence()).isEqualTo(11);
            }
            for (Claims.Claim claim : b) {
                assertThat(all.add(claim.pid())).as("claimed by both: %s", claim.pid()).isTrue();
                assertThat(claim.fence()).isEqualTo(11);
            }
            assertThat(all).hasSize(runs);
            assertThat(db.value("SELECT string_agg(DISTINCT state || ' ' || fence || ' ' || attempts, ',')"
                    + " FROM tv_runs")).isEqualTo("RUNNING 11 1");
            assertThat(db.longValue("SELECT count(*) FROM tv_runs WHERE owner_host = 'a'")).isEqualTo(a.size());
        } finally {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(1, TimeUnit.MINUTES)).isTrue();
        }
    }

    @Test
    void aZombiesCommitAfterTheTakeoverMatchesNothingAndRollsBack() throws SQLException {
        db.host("zombie", 1, "LIVE", 60);
        db.host("heir", 1, "LIVE", 60);
        db.sql("CREATE TABLE written (v text)");
        try (Connection c = db.ds.getConnection()) {
            assertThat(Claims.begin(c, "r", null, "zombie", 1)).isEqualTo(1);
        }
        assertThat(row("r")).isEqualTo("RUNNING 1 zombie 0");
        db.sql("UPDATE tv_hosts SET lease_until = now() - interval '1 s' WHERE host_id = 'zombie'");
        assertThat(new Sweeper(db.ds).sweep().pids()).containsExactly("r");
        try (Connection c = db.ds.getConnection()) {
            assertThat(Claims.claim(c, "r", "heir", 1)).hasValue(3);
        }

        try (Connection zombie = db.ds.getConnection()) {
            zombie.setAutoCommit(false);
            zombie.createStatement().execute("INSERT INTO written VALUES ('zombie')");
            assertFenced(() -> Fence.check(zombie, "r", 1),
                    "holds fence 1 but it is RUNNING under fence 3 on host heir");
            zombie.rollback();
            assertFenced(() -> Claims.pause(zombie, "r", 1), "fence 1");
            assertFenced(() -> Claims.end(zombie, "r", 1), "fence 1");
        }
        assertThat(db.longValue("SELECT count(*) FROM written")).isZero();
        assertThat(row("r")).isEqualTo("RUNNING 3 heir 1");

        try (Connection heir = db.ds.getConnection()) {
            Fence.check(heir, "r", 3);
            Claims.pause(heir, "r", 3);
            assertThat(row("r")).isEqualTo("PAUSED 3 - 1");
            assertThat(Claims.claim(heir, "r", "heir", 1)).hasValue(4);
            Claims.end(heir, "r", 4);
            assertFenced(() -> Fence.check(heir, "r", 4), "no longer active");
        }
        assertThat(db.longValue("SELECT count(*) FROM tv_runs")).isZero();
    }
}
