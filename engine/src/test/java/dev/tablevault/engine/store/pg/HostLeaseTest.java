package dev.tablevault.engine.store.pg;

import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.TableVaultException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HostLeaseTest {
    /** TTL 2 s, renewal every 0.5 s, margin 0.4 s. */
    static final LeaseTiming FAST = LeaseTiming.of(Duration.ofSeconds(2), Duration.ofMillis(500));
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    private HostsDb db;
    private final AtomicLong clock = new AtomicLong(1_000 * SECOND);
    private final List<Long> lostEpochs = new CopyOnWriteArrayList<>();

    @BeforeEach
    void database() {
        db = HostsDb.create("host lease");
    }

    /** A lease on the injected clock, renewed only by hand. */
    private HostLease byHand(String hostId) {
        return new HostLease(db.ds, hostId, FAST, clock::get, (h, e) -> lostEpochs.add(e), false);
    }

    @Test
    void registerTakesTheLeaseFromTheDatabaseClockAndRenewalMovesItForward() {
        try (HostLease lease = byHand("h1")) {
            assertThat(lease.register()).isEqualTo(1);
            assertThat(db.value("SELECT state || ' ' || epoch || ' ' || os_pid FROM tv_hosts WHERE host_id = 'h1'"))
                    .isEqualTo("LIVE 1 " + ProcessHandle.current().pid());
            assertThat(db.test("SELECT lease_until > now() AND lease_until <= now() + interval '2 s'"
                    + " FROM tv_hosts WHERE host_id = 'h1'")).isTrue();

            db.sql("UPDATE tv_hosts SET lease_until = now() - interval '1 day'");
            assertThat(lease.renew()).isTrue();
            assertThat(db.test("SELECT lease_until > now() FROM tv_hosts WHERE host_id = 'h1'")).isTrue();
            assertThat(db.longValue("SELECT epoch FROM tv_hosts")).isEqualTo(1);
        }
    }

    @Test
    void registeringTakesOverThePreviousIncarnationsRowAndHandsItsRunsOver() {
        db.host("h1", 4, "LIVE", 60);
        db.run("r1", "RUNNING", "h1", 7);
        db.run("r2", "PAUSED", null, 3);
        db.sql("INSERT INTO tv_lock_waits VALUES ('r1', '{r9}', now())");
        try (HostLease lease = byHand("h1")) {
            assertThat(lease.register()).isEqualTo(5);
            assertThat(db.value("SELECT state || ' ' || fence || ' ' || coalesce(owner_host, '-') FROM tv_runs"
                    + " WHERE pid = 'r1'")).isEqualTo("ORPHANED 8 -");
            assertThat(db.value("SELECT state || ' ' || fence FROM tv_runs WHERE pid = 'r2'")).isEqualTo("PAUSED 3");
            assertThat(db.longValue("SELECT count(*) FROM tv_lock_waits")).isZero();
            assertThat(lease.mayCommit()).isTrue();
        }
    }

    @Test
    void mayCommitOnlyUntilTheLastRenewalsStartPlusTtlMinusMargin() {
        try (HostLease lease = byHand("h1")) {
            assertThatThrownBy(lease::checkLease).isInstanceOf(TableVaultException.class)
                    .hasMessageContaining("not registered");
            long start = clock.get();
            lease.register();
            long window = FAST.ttl().minus(FAST.margin()).toNanos();
            assertThat(window).isEqualTo(1600 * SECOND / 1000);

            clock.set(start + window - 1);
            assertThat(lease.mayCommit()).isTrue();
            lease.checkLease();
            clock.set(start + window);
            assertThat(lease.mayCommit()).isFalse();
            assertThatThrownBy(lease::checkLease).isInstanceOfSatisfying(TableVaultException.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.PROCESS_FENCED))
                    .hasMessageContaining("1600 ms");

            long renewedAt = clock.get();
            assertThat(lease.renew()).isTrue();
            assertThat(lease.mayCommit()).isTrue();
            clock.set(renewedAt + window - 1);
            assertThat(lease.mayCommit()).isTrue();
            clock.set(renewedAt + window);
            assertThat(lease.mayCommit()).isFalse();
        }
    }

    @Test
    void aFailedRenewalDoesNotMoveTheWindow() {
        AtomicBoolean cut = new AtomicBoolean();
        try (HostLease lease = new HostLease(db.cuttable(cut), "h1", FAST, clock::get, (h, e) -> lostEpochs.add(e),
                false)) {
            long start = clock.get();
            lease.register();
            cut.set(true);
            clock.set(start + SECOND);
            assertThat(lease.renew()).isFalse();
            clock.set(start + FAST.ttl().minus(FAST.margin()).toNanos());
            assertThat(lease.mayCommit()).isFalse();
            assertThat(lease.lost()).isFalse();
            assertThatThrownBy(lease::checkLease).hasCauseInstanceOf(java.sql.SQLException.class);
            cut.set(false);
            assertThat(lease.renew()).isTrue();
            assertThat(lease.mayCommit()).isTrue();
        }
    }

    @Test
    void aSweptHostLearnsItLostTheLeaseAndNeverRenewsUnderThatEpoch() {
        try (HostLease lease = byHand("h1")) {
            lease.register();
            db.sql("UPDATE tv_hosts SET lease_until = now() - interval '1 s'");
            assertThat(new Sweeper(db.ds).sweep().hosts()).containsExactly("h1");

            assertThat(lease.renew()).isFalse();
            assertThat(lease.lost()).isTrue();
            assertThat(lease.mayCommit()).isFalse();
            assertThat(lostEpochs).containsExactly(1L);
            assertThatThrownBy(lease::checkLease).hasMessageContaining("declared dead under epoch 1");

            // even if the row said LIVE under epoch 1 again, this lease would not renew it
            db.sql("UPDATE tv_hosts SET state = 'LIVE', epoch = 1, lease_until = now() - interval '1 min'");
            assertThat(lease.renew()).isFalse();
            assertThat(db.test("SELECT lease_until < now() FROM tv_hosts")).isTrue();
            assertThat(lostEpochs).containsExactly(1L);

            db.sql("UPDATE tv_hosts SET state = 'DEAD', epoch = 2");
            assertThat(lease.register()).isEqualTo(3);
            assertThat(lease.lost()).isFalse();
            assertThat(lease.mayCommit()).isTrue();
            assertThat(lease.renew()).isTrue();
        }
    }

    @Test
    void registeringTwiceWithoutLosingIsRefused() {
        try (HostLease lease = byHand("h1")) {
            lease.register();
            assertThatThrownBy(lease::register).hasMessageContaining("holds its lease already");
            assertThat(db.longValue("SELECT epoch FROM tv_hosts")).isEqualTo(1);
        }
    }

    @Test
    void theHeartbeatRenewsUntilCutOffThenTheHostFencesItselfBeforeTheDatabaseExpiresItAndLearnsItWasSwept()
            throws InterruptedException {
        AtomicBoolean cut = new AtomicBoolean();
        CountDownLatch lost = new CountDownLatch(1);
        HostLease lease = new HostLease(db.cuttable(cut), "beat", FAST, (h, e) -> lost.countDown());
        try {
            lease.register();
            String first = db.value("SELECT lease_until FROM tv_hosts");
            HostsDb.await("a heartbeat renewal",
                    () -> db.test("SELECT lease_until > ?::timestamptz FROM tv_hosts", first));

            cut.set(true);
            HostsDb.await("the lease to expire by the database clock",
                    () -> db.test("SELECT lease_until < now() FROM tv_hosts"));
            assertThat(lease.mayCommit()).as("self-fenced before the database expired the lease").isFalse();
            assertThat(new Sweeper(db.ds).sweep().hosts()).containsExactly("beat");

            cut.set(false);
            assertThat(lost.await(1, TimeUnit.MINUTES)).as("the heartbeat reported the lease lost").isTrue();
            assertThat(lease.lost()).isTrue();
            assertThat(HostsDb.threadAlive("tv-lease-beat")).isTrue();
        } finally {
            lease.close();
        }
        assertThat(HostsDb.threadAlive("tv-lease-beat")).as("heartbeat thread after close").isFalse();
    }

    @Test
    void closeStopsTheHeartbeatAndHandsTheRunsOverAtOnce() throws Exception {
        HostLease lease = new HostLease(db.ds, "closing", FAST, (h, e) -> lostEpochs.add(e));
        long epoch = lease.register();
        try (var c = db.ds.getConnection()) {
            Claims.begin(c, "r1", null, "closing", epoch);
        }
        assertThat(HostsDb.threadAlive("tv-lease-closing")).isTrue();
        lease.close();
        assertThat(HostsDb.threadAlive("tv-lease-closing")).isFalse();
        assertThat(db.value("SELECT state || ' ' || epoch FROM tv_hosts")).isEqualTo("DEAD 2");
        assertThat(db.value("SELECT state || ' ' || fence FROM tv_runs")).isEqualTo("ORPHANED 2");
        assertThat(lease.mayCommit()).isFalse();
        lease.close();
        try (HostLease other = byHand("other"); var c = db.ds.getConnection()) {
            assertThat(Claims.claim(c, "r1", "other", other.register())).hasValue(3);
        }
        assertThat(lostEpochs).isEmpty();
    }
}
