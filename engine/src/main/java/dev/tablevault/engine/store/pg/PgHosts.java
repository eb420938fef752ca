package dev.tablevault.engine.store.pg;

import dev.tablevault.api.Durability;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The hosts registered on a shared vault ({@code tv_hosts}), for {@code tv hosts}. Stateless. */
public final class PgHosts {
    private static final String LIST = "SELECT host_id, os_pid, epoch, state, lease_until,"
            + " extract(epoch FROM lease_until - now()) FROM tv_hosts ORDER BY host_id";

    /**
     * One {@code tv_hosts} row.
     *
     * @param secondsLeft how long the lease still runs by the database clock (negative once it ended)
     */
    public record Host(String hostId, long osPid, long epoch, String state, Instant leaseUntil, double secondsLeft) {
    }

    private PgHosts() {
    }

    /**
     * Every host row of the vault at {@code url}, by host id, read through a read-only connection.
     *
     * @throws dev.tablevault.api.TvStorageException {@code NOT_FOUND} when there is no vault there, {@code IO} when
     *         the server cannot be reached
     */
    public static List<Host> list(String url) {
        try (PgBackend b = PgBackend.open(url, false, true, Durability.SYNC, 1, PgBackend.DEFAULT_MAX_BATCH_BYTES)) {
            return b.latestQuery("listing hosts", c -> read(c));
        }
    }

    private static List<Host> read(Connection c) throws SQLException {
        List<Host> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(LIST)) {
            while (r.next()) {
                out.add(new Host(r.getString(1), r.getLong(2), r.getLong(3), r.getString(4),
                        r.getTimestamp(5).toInstant(), Math.round(r.getDouble(6) * 10) / 10.0));
            }
        }
        return out;
    }
}
