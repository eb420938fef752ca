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
 * The guard of the first shared-vault increment: one writing host at a time. A host registers its
 * {@link HostLease} first and only then looks for other hosts with a live lease, so of two hosts opening at once at
 * least one sees the other (both may refuse; neither writes beside the other). Until processes are fenced per run,
 * a second writing host is refused with {@code VAULT_LOCKED}.
 */
final class SoleWriter {
    private static final String OTHERS = "SELECT host_id, os_pid, lease_until,"
            + " extract(epoch FROM lease_until - now()) FROM tv_hosts"
            + " WHERE state = 'LIVE' AND lease_until > now() AND host_id <> ? ORDER BY host_id";

    private SoleWriter() {
    }

    /**
     * Registers {@code hostId}'s lease ({@code ttl}, renewed every third of it) and returns it, or closes it again
     * and throws {@code VAULT_LOCKED} naming a host that holds a live lease on the vault.
     */
    static HostLease register(DataSource db, String location, String hostId, Duration ttl) {
        HostLease lease = new HostLease(db, hostId, LeaseTiming.of(ttl, ttl.dividedBy(3)), (host, epoch) -> { });
        try {
            lease.register();
            List<String> others = HostSql.transaction(db, "looking for other hosts of " + location, c -> {
                List<String> out = new ArrayList<>();
                try (PreparedStatement s = c.prepareStatement(OTHERS)) {
                    s.setString(1, hostId);
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
            if (!others.isEmpty()) {
                throw new TvStorageException(ErrorCode.VAULT_LOCKED, "the vault at " + location + " is open for"
                        + " writing by " + String.join(", ", others) + "; multi-host writing is not yet enabled (see"
                        + " docs/MULTI-HOST.md): close it there, open it read-only, or wait until that lease ends");
            }
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
