package dev.tablevault.engine.store.pg;

import org.postgresql.ds.PGSimpleDataSource;

import javax.sql.DataSource;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * A fresh database with the backend's schema ({@link Schema#migrate}), and small SQL helpers for the host-liveness
 * tests.
 */
final class HostsDb {
    final String url;
    final DataSource ds;

    private HostsDb(String url) {
        this.url = url;
        PGSimpleDataSource pg = new PGSimpleDataSource();
        pg.setUrl(url);
        this.ds = pg;
    }

    static HostsDb create(String hint) {
        HostsDb db = new HostsDb(PgCluster.shared().database(hint));
        try (Connection c = db.ds.getConnection()) {
            Schema.migrate(c, db.url);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot install the schema on " + db.url, e);
        }
        return db;
    }

    /** Runs one statement with {@code args}; returns the rows it changed. */
    int sql(String sql, Object... args) {
        try (Connection c = ds.getConnection(); PreparedStatement s = prepare(c, sql, args)) {
            return s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    /** The first column of the first row, as a string (null when there is no row). */
    String value(String sql, Object... args) {
        try (Connection c = ds.getConnection(); PreparedStatement s = prepare(c, sql, args);
             ResultSet r = s.executeQuery()) {
            return r.next() ? r.getString(1) : null;
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    long longValue(String sql, Object... args) {
        return Long.parseLong(value(sql, args));
    }

    boolean test(String sql, Object... args) {
        return "t".equals(value(sql, args));
    }

    /** A host row as a test wants it, lease {@code leaseSeconds} from the database's now (negative: expired). */
    void host(String hostId, long epoch, String state, int leaseSeconds) {
        sql("INSERT INTO tv_hosts (host_id, os_pid, boot_id, epoch, lease_until, state) VALUES (?, 1, 'b', ?,"
                + " now() + ? * interval '1 second', ?)", hostId, epoch, leaseSeconds, state);
    }

    /** A run row. */
    void run(String pid, String state, String owner, long fence) {
        sql("INSERT INTO tv_runs (pid, state, owner_host, fence) VALUES (?, ?, ?, ?)", pid, state, owner, fence);
    }

    /** Polls the database until {@code condition} holds; fails after a minute (a safety net, not a timing). */
    static void await(String what, BooleanSupplier condition) {
        long until = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - until > 0) {
                throw new AssertionError("gave up waiting (1 min) for " + what);
            }
            try {
                Thread.sleep(20); // polling interval only: the condition is what the test waits for
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /** A data source that fails every new connection while {@code cut} is set: a host cut off from the database. */
    DataSource cuttable(AtomicBoolean cut) {
        return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[]{DataSource.class},
                (proxy, method, args) -> {
                    if (cut.get() && method.getName().equals("getConnection")) {
                        throw new SQLTransientConnectionException("cut off from the database (test)", "08001");
                    }
                    try {
                        return method.invoke(ds, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /** Whether a live thread has this exact name. */
    static boolean threadAlive(String name) {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.isAlive() && t.getName().equals(name));
    }

    private static PreparedStatement prepare(Connection c, String sql, Object... args) throws SQLException {
        PreparedStatement s = c.prepareStatement(sql);
        for (int i = 0; i < args.length; i++) {
            s.setObject(i + 1, args[i]);
        }
        return s;
    }
}
