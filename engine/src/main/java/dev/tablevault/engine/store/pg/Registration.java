package dev.tablevault.engine.store.pg;

import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.TvStorageException;

import javax.sql.DataSource;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;

/**
 * A writing host's registration on a shared vault. Any number of hosts write at once (their processes' locks are
 * rows, their batches fenced), but each needs its own host id: registering an id whose lease is live would take
 * over the row of another vault object (in this JVM or elsewhere) and silently end its lease, so that is refused
 * with {@code VAULT_LOCKED}.
 */
final class Registration {
    private static final String LIVE = "SELECT os_pid, lease_until, extract(epoch FROM lease_until - now())"
            + " FROM tv_hosts WHERE host_id = ? AND state = 'LIVE' AND lease_until > now()";

    private Registration() {
    }

    /**
     * Registers {@code hostId}'s lease ({@code ttl}, renewed every third of it) and returns it, or throws
     * {@code VAULT_LOCKED} when that host id holds a live lease already.
     */
    static HostLease register(DataSource db, String location, String hostId, Duration ttl) {
        String live = HostSql.transaction(db, "looking up host " + hostId + " of " + location, c -> {
            try (PreparedStatement s = c.prepareStatement(LIVE)) {
                s.setString(1, hostId);
                try (ResultSet r = s.executeQuery()) {
                    return r.next() ? "OS pid " + r.getLong(1) + ", lease until " + r.getTimestamp(2).toInstant()
                            + ", " + Math.round(r.getDouble(3)) + " s from now by the database clock" : null;
                }
            }
        });
        if (live != null) {
            throw new TvStorageException(ErrorCode.VAULT_LOCKED, "host id " + hostId + " has the vault at " + location
                    + " open for writing already (" + live + "); give each open of the vault its own host id"
                    + " (VaultOptions.hostId), close the other, or wait until its lease ends");
        }
        HostLease lease = new HostLease(db, hostId, LeaseTiming.of(ttl, ttl.dividedBy(3)), (host, epoch) -> { });
        try {
            lease.register();
            return lease;
        } catch (RuntimeException e) {
            try {
                lease.close();
            } catch (RuntimeException c) {
                e.addSuppressed(c);
            }
            throw e;
        }
    }
}
