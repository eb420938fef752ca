package dev.tablevault.engine.store.pg;

import dev.tablevault.engine.store.Family;
import dev.tablevault.engine.store.KeyRange;
import dev.tablevault.engine.store.ReadView;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * A snapshot: a pooled connection in a {@code REPEATABLE READ READ ONLY} transaction whose snapshot is fixed and
 * exported ({@code pg_export_snapshot()}) when the view is made. A {@link #borrow() borrowed} view is another
 * connection that imports the same snapshot ({@code SET TRANSACTION SNAPSHOT}), so another thread can read the same
 * state; it must be closed before its lender, whose open transaction keeps the snapshot importable. While open, a
 * view holds back vacuum on the server: keep it short. Closing ends the transaction and returns the connection.
 */
final class PgView extends PgReads implements ReadView {
    private static final String BEGIN = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";

    private final PgBackend backend;
    private final Connection c;
    private final String snapshot;
    private boolean closed;

    private PgView(PgBackend backend, Connection c, String snapshot) {
        this.backend = backend;
        this.c = c;
        this.snapshot = snapshot;
    }

    /** A new snapshot of the latest state. */
    static PgView open(PgBackend backend) {
        return start(backend, null);
    }

    private static PgView start(PgBackend backend, String imported) {
        Connection c = backend.connection();
        try (Statement s = c.createStatement()) {
            s.execute(BEGIN);
            if (imported != null) {
                s.execute("SET TRANSACTION SNAPSHOT '" + imported + "'");
                return new PgView(backend, c, imported);
            }
            try (ResultSet r = s.executeQuery("SELECT pg_export_snapshot()")) {
                r.next();
                return new PgView(backend, c, r.getString(1));
            }
        } catch (SQLException e) {
            backend.discard(c, e);
            throw PgErrors.of(e, backend.location(), "starting a snapshot");
        }
    }

    @Override
    <T> T query(String doing, Query<T> q) {
        requireOpen();
        try {
            return q.run(c);
        } catch (SQLException e) {
            throw PgErrors.of(e, backend.location(), doing + " in a snapshot");
        }
    }

    @Override
    public ReadView borrow() {
        requireOpen();
        return start(backend, snapshot);
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("the view of " + backend.location() + " is closed");
        }
    }

    @Override
    public KeyRange range(Family family, byte[] from, byte[] to) {
        return new PgKeyRange(this, family, from, to);
    }

    /**
     * The instance keys (the first eight bytes of a cell key) in {@code tv_data}, by a skip scan: a recursive query
     * that jumps from each instance to the first key of the next, one index probe per instance instead of a read of
     * every cell.
     */
    @Override
    public List<Long> cellInstanceKeys() {
        String ikey = "('x' || encode(substring(%s for 8), 'hex'))::bit(64)::bigint";
        String sql = "WITH RECURSIVE s(i) AS ("
                + " (SELECT " + ikey.formatted("k") + " FROM tv_data ORDER BY k LIMIT 1)"
                + " UNION ALL SELECT (SELECT " + ikey.formatted("d.k") + " FROM tv_data d"
                + " WHERE d.k >= int8send(s.i + 1) ORDER BY d.k LIMIT 1)"
                + " FROM s WHERE s.i IS NOT NULL AND s.i < 9223372036854775807)"
                + " SELECT i FROM s WHERE i IS NOT NULL";
        return query("listing the instances of tv_data", c -> {
            List<Long> out = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement(sql); ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(r.getLong(1));
                }
            }
            return out;
        });
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try (Statement s = c.createStatement()) {
            s.execute("ROLLBACK");
        } catch (SQLException e) {
            // the transaction dies with the connection, which discard evicts from the pool; a view has no writes
            // to lose, so ending it cannot fail the caller
            backend.discard(c, e);
            return;
        }
        backend.release(c);
    }
}
