package dev.tablevault.engine.store.pg;

import dev.tablevault.api.TableVaultException;
import org.postgresql.ds.PGSimpleDataSource;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Duration;

/**
 * A host in its own JVM for {@link LeaseTakeoverTest}: registers a lease (TTL 2 s, renewal 0.5 s), begins run
 * {@code pid}, prints {@code READY <fence>}, then waits for a line on stdin (the test stops it meanwhile). Woken, it
 * commits as a zombie that checked its lease before it was stopped: a row in {@code written} after the fence
 * check, in one transaction. It prints {@code OUTCOME COMMITTED} or {@code OUTCOME <error code>}, and whether the
 * lease still allows commits ({@code MAYCOMMIT <bool>}).
 *
 * <p>Arguments: JDBC URL, host id, pid.
 */
public final class LeaseChild {
    private LeaseChild() {
    }

    public static void main(String[] args) throws Exception {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(args[0]);
        String hostId = args[1];
        String pid = args[2];
        LeaseTiming timing = LeaseTiming.of(Duration.ofSeconds(2), Duration.ofMillis(500));
        try (HostLease lease = new HostLease(ds, hostId, timing,
                (h, epoch) -> System.out.println("LOST " + epoch))) {
            long epoch = lease.register();
            long fence;
            try (Connection c = ds.getConnection()) {
                fence = Claims.begin(c, pid, null, hostId, epoch);
            }
            lease.checkLease();
            System.out.println("READY " + fence);
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            System.out.println("MAYCOMMIT " + lease.mayCommit());
            try (Connection c = ds.getConnection()) {
                c.setAutoCommit(false);
                try {
                    Fence.check(c, pid, fence);
                    c.createStatement().execute("INSERT INTO written VALUES ('" + hostId + "')");
                    c.commit();
                    System.out.println("OUTCOME COMMITTED");
                } catch (TableVaultException e) {
                    c.rollback();
                    System.out.println("OUTCOME " + e.code() + " " + e.getMessage());
                }
            }
        }
    }
}
