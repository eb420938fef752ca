package dev.tablevault.engine.store.pg;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class SweeperTest {
    private HostsDb db;

    @BeforeEach
    void database() {
        db = HostsDb.create("sweeper");
    }

    @Test
    void declaresExpiredHostsDeadAndOrphansTheirRunsWithABumpedFenceOnce() {
        db.host("gone", 3, "LIVE", -1);
        db.host("live", 1, "LIVE", 60);
        db.host("dead", 9, "DEAD", -60);
        db.run("r1", "RUNNING", "gone", 1);
        db.run("r2", "RUNNING", "gone", 4);
        db.run("r3", "RUNNING", "live", 1);
        db.run("r4", "PAUSED", null, 2);
        db.sql("INSERT INTO tv_lock_waits VALUES ('r1', '{r3}', now()), ('r3', '{r4}', now())");

        Sweeper.Swept swept = new Sweeper(db.ds).sweep();

        assertThat(swept.hosts()).containsExactly("gone");
        assertThat(swept.pids()).containsExactlyInAnyOrder("r1", "r2");
        assertThat(db.value("SELECT string_agg(host_id || ' ' || state || ' ' || epoch, ', ' ORDER BY host_id)"
                + " FROM tv_hosts")).isEqualTo("dead DEAD 9, gone DEAD 4, live LIVE 1");
        assertThat(db.value("SELECT string_agg(pid || ' ' || state || ' ' || fence || ' ' || coalesce(owner_host, '-'),"
                + " ', ' ORDER BY pid) FROM tv_runs"))
                .isEqualTo("r1 ORPHANED 2 -, r2 ORPHANED 5 -, r3 RUNNING 1 live, r4 PAUSED 2 -");
        assertThat(db.value("SELECT string_agg(waiter, ',') FROM tv_lock_waits")).isEqualTo("r3");

        Sweeper.Swept again = new Sweeper(db.ds).sweep();
        assertThat(again.hosts()).isEmpty();
        assertThat(again.pids()).isEmpty();
        assertThat(db.longValue("SELECT sum(fence) FROM tv_runs")).isEqualTo(2 + 5 + 1 + 2);
    }

    @Test
    void sweepersRacingOnTheSameHostBumpItsEpochAndEachFenceOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 20; round++) {
                String host = "h" + round;
                db.host(host, 1, "LIVE", -1);
                db.run(host + "-a", "RUNNING", host, 1);
                db.run(host + "-b", "RUNNING", host, 5);
                CyclicBarrier start = new CyclicBarrier(2);
                List<Future<Sweeper.Swept>> both = List.of(
                        pool.submit(() -> { start.await(); return new Sweeper(db.ds).sweep(); }),
                        pool.submit(() -> { start.await(); return new Sweeper(db.ds).sweep(); }));
                int declared = 0;
                int orphaned = 0;
                for (Future<Sweeper.Swept> f : both) {
                    Sweeper.Swept s = f.get(1, TimeUnit.MINUTES);
                    declared += s.hosts().size();
                    orphaned += s.pids().size();
                }
                assertThat(declared).as("round %d", round).isEqualTo(1);
                assertThat(orphaned).as("round %d", round).isEqualTo(2);
                assertThat(db.longValue("SELECT epoch FROM tv_hosts WHERE host_id = ?", host)).isEqualTo(2);
                assertThat(db.value("SELECT string_agg(fence::text, ',' ORDER BY pid) FROM tv_runs WHERE pid LIKE ?",
                        host + "-%")).isEqualTo("2,6");
            }
        } finally {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(1, TimeUnit.MINUTES)).isTrue();
        }
    }

    @Test
    void theHandoverWaitsForACommitInFlightSoItLandsBeforeTheFenceMoves() throws Exception {
        db.host("slow", 1, "LIVE", -1);
        db.run("r1", "RUNNING", "slow", 1);
        db.sql("CREATE TABLE written (v text)");
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (Connection zombie = db.ds.getConnection()) {
            zombie.setAutoCommit(false);
            Fence.check(zombie, "r1", 1);
            zombie.createStatement().execute("INSERT INTO written VALUES ('late but before the handover')");

            Future<Sweeper.Swept> sweep = pool.submit(() -> new Sweeper(db.ds).sweep());
            HostsDb.await("the sweep to wait for the commit's row lock", () -> db.test(
                    "SELECT count(*) > 0 FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                            + " AND query LIKE 'UPDATE tv_runs%'"));
            zombie.commit();

            assertThat(sweep.get(1, TimeUnit.MINUTES).pids()).containsExactly("r1");
            assertThat(db.longValue("SELECT count(*) FROM written")).isEqualTo(1);
            assertThat(db.longValue("SELECT fence FROM tv_runs")).isEqualTo(2);
        } finally {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(1, TimeUnit.MINUTES)).isTrue();
        }
    }
}
