package dev.tablevault.engine.store.pg;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Declares hosts whose lease has ended (by the database clock) dead and hands their processes over: one transaction
 * per host sets it DEAD with epoch + 1, then orphans its runs with a bumped fence and drops their lock waits. Any
 * host may sweep, several at once: the host row's update is conditional (LIVE and expired), so for each expiry
 * exactly one sweeper wins and bumps the epoch and the fences once; the others match nothing. The run update waits
 * for an in-flight commit of the dead host (its fence check holds the run's row), so a commit either lands before
 * the handover or is refused by the fence after it.
 *
 * <p>Thread safe. Each host open for writing sweeps about every second ({@code process.Adoption}); a claim or a
 * lock blocked by a holder whose host's lease ran out sweeps once at once.
 */
final class Sweeper {
    private static final Logger LOG = LoggerFactory.getLogger(Sweeper.class);
    /** What one sweep did: the hosts it declared dead and the runs it orphaned. */
    record Swept(List<String> hosts, List<String> pids) {
    }

    private final DataSource db;

    Sweeper(DataSource db) {
        this.db = db;
    }

    /** One sweep now. */
    Swept sweep() {
        List<String> expired = HostSql.transaction(db, "listing expired hosts", c -> {
            List<String> hosts = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT host_id FROM tv_hosts WHERE state = 'LIVE' AND lease_until < now() ORDER BY host_id");
                 ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    hosts.add(r.getString(1));
                }
            }
            return hosts;
        });
        List<String> dead = new ArrayList<>();
        List<String> pids = new ArrayList<>();
        for (String host : expired) {
            List<String> orphaned = HostSql.transaction(db, "declaring host " + host + " dead", c -> declareDead(c, host));
            if (orphaned != null) {
                dead.add(host);
                pids.addAll(orphaned);
                LOG.warn("host {} let its lease expire: declared dead, {} runs handed over: {}", host, orphaned.size(),
                        orphaned);
            }
        }
        return new Swept(List.copyOf(dead), List.copyOf(pids));
    }

    /** The pids orphaned, or null when another sweeper (or a renewal) got there first. */
    private static List<String> declareDead(Connection c, String host) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE tv_hosts SET state = 'DEAD', epoch = epoch + 1"
                + " WHERE host_id = ? AND state = 'LIVE' AND lease_until < now()")) {
            s.setString(1, host);
            if (s.executeUpdate() == 0) {
                return null;
            }
        }
        return HostSql.orphanRunsOf(c, host);
    }
}
