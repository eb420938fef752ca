package dev.tablevault.engine.store.pg;

import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.TvStorageException;

import javax.sql.DataSource;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The guard of the first shared-vault increment: one writing host at a time. A host refuses to register while any
 * host (its own id included: taking over a live row would end that vault object's lease) holds a live lease, then
 * registers its {@link HostLease} and looks again, so of two hosts registering at once at least one sees the other
 * (both may refuse; neither writes beside the other). Until processes are fenced per run, a second writing host is
 * refused with {@code VAULT_LOCKED}.
 */
final class SoleWriter {
    private static final String LIVE = "SELECT host_id, os_pid, lease_until,"
            + " extract(epoch FROM lease_until - now()) FROM tv_hosts"
            + " WHERE state = 'LIVE' AND lease_until > now() AND host_id <> ? ORDER BY host_id";

    private SoleWriter() {
    }

    /** Throws {@code VAULT_LOCKED} naming the hosts other than {@code except} (null: none) with a live lease. */
    private static void refuseIfLive(DataSource db, String location, String except) {
        List<String> live = HostSql.transaction(db, "looking for other hosts of " + location, c -> {
            List<String> out = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement(LIVE)) {
                s.setString(1, except == null ? "" : except);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        out.add("host " + r.getString(1) + " (OS pid " + r.getLong(2) + ", lease until "
                                + r.getTimestamp(3).toInstant() + ", " + Math.round(r.getDouble(4))
                                + " s from now by the database clock)");
                    }
                }
            }
            return out;
        });
        if (!live.isEmpty()) {
            throw new TvStorageException(ErrorCode.VAULT_LOCKED, "the vault at " + location + " is open for writing by "
                    + String.join(", ", live) + "; multi-host writing is not yet enabled (see docs/MULTI-HOST.md):"
                    + " close it there, open it read-only, or wait until that lease ends");
        }
    }

    /**
     * Registers {@code hostId}'s lease ({@code ttl}, renewed every third of it) and returns it, or closes it again
     * and throws {@code VAULT_LOCKED} naming a host that holds a live lease on the vault.
     */
    static HostLease register(DataSource db, String location, String hostId, Duration ttl) {
        // First any live lease, this host id's included: registering would take over the row of a live vault
        // object with the same id (another open in this JVM) and silently end its lease.
        refuseIfLive(db, location, null);
        HostLease lease = new HostLease(db, hostId, LeaseTiming.of(ttl, ttl.dividedBy(3)), (host, epoch) -> { });
        try {
            lease.register();
            refuseIfLive(db, location, hostId); // a host that registered meanwhile
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
