package dev.tablevault.engine.store.pg;

import dev.tablevault.engine.ChildJvm;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real zombie: a host in a child JVM is stopped ({@code kill -STOP}) while it runs a process, its lease expires by
 * the database clock, a sweep hands the process over and another host claims it; woken ({@code kill -CONT}), the
 * child's commit must be fenced. Runs once by default; {@code -Dtv.pg.takeoverRuns=20} repeats it.
 */
class LeaseTakeoverTest {
    @Test
    void aStoppedHostsLateCommitAfterTheTakeoverIsFenced() throws Exception {
        int runs = Integer.getInteger("tv.pg.takeoverRuns", 1);
        for (int i = 0; i < runs; i++) {
            takeover(i);
        }
    }

    private static void takeover(int round) throws Exception {
        HostsDb db = HostsDb.create("takeover");
        db.sql("CREATE TABLE written (v text)");
        db.host("heir", 1, "LIVE", 3600);
        try (ChildJvm child = ChildJvm.start(LeaseChild.class, db.url, "zombie", "r")) {
            assertThat(awaitLine(child, "READY")).isEqualTo("READY 1");
            signal("STOP", child.process().pid());
            HostsDb.await("the stopped host's lease to expire",
                    () -> db.test("SELECT lease_until < now() FROM tv_hosts WHERE host_id = 'zombie'"));
            assertThat(new Sweeper(db.ds).sweep().pids()).as("round %d", round).containsExactly("r");
            try (Connection c = db.ds.getConnection()) {
                assertThat(Claims.claim(c, "r", "heir", 1)).hasValue(3);
            }
            signal("CONT", child.process().pid());
            OutputStream in = child.process().getOutputStream();
            in.write("go\n".getBytes(StandardCharsets.UTF_8));
            in.flush();

            assertThat(awaitLine(child, "OUTCOME")).as("round %d:\n%s", round, child.output())
                    .startsWith("OUTCOME PROCESS_FENCED").contains("fence 1 but it is RUNNING under fence 3 on host heir");
            assertThat(child.output()).contains("MAYCOMMIT false");
            assertThat(child.process().waitFor(1, TimeUnit.MINUTES)).as("child ended").isTrue();
            assertThat(child.process().exitValue()).as(child.output()).isZero();
        }
        assertThat(db.longValue("SELECT count(*) FROM written")).isZero();
        assertThat(db.value("SELECT state || ' ' || fence || ' ' || owner_host FROM tv_runs"))
                .isEqualTo("RUNNING 3 heir");
        assertThat(db.value("SELECT state FROM tv_hosts WHERE host_id = 'zombie'")).isEqualTo("DEAD");
    }

    private static String awaitLine(ChildJvm child, String prefix) throws IOException {
        for (String line = child.nextLine(); line != null; line = child.nextLine()) {
            if (line.startsWith(prefix)) {
                return line;
            }
        }
        throw new AssertionError("child ended before printing " + prefix + ":\n" + child.output());
    }

    private static void signal(String signal, long pid) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
        assertThat(kill.waitFor(1, TimeUnit.MINUTES) && kill.exitValue() == 0).as("kill -%s %d", signal, pid).isTrue();
    }
}
