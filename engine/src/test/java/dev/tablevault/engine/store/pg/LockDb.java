package dev.tablevault.engine.store.pg;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A database with the lock schema for the lock tests: schema V1 (a test copy, until the backend's {@code Schema}
 * applies the versions in order) then the engine's V2. Emptied by {@link #clear}; two live hosts, {@code h1}
 * (OS process {@value #OS_PID_1}) and {@code h2} ({@value #OS_PID_2}), registered by it.
 */
final class LockDb {
    static final long OS_PID_1 = 4242;
    static final long OS_PID_2 = 4343;
    private static final AtomicInteger POOLS = new AtomicInteger();

    final String url;

    private LockDb(String url) {
        this.url = url;
    }

    /** A fresh database on the test cluster with the lock schema applied. */
    static LockDb create(String hint) {
        LockDb db = new LockDb(PgCluster.shared().database(hint));
        try (Connection c = DriverManager.getConnection(db.url)) {
            Schema.migrate(c, db.url);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot install the schema on " + db.url, e);
        }
        return db;
    }

    /** Deletes every run, lock and wait edge, and registers the two live hosts afresh. */
    void clear() {
        run("TRUNCATE tv_locks, tv_lock_waits, tv_runs, tv_hosts;"
                + " INSERT INTO tv_hosts (host_id, os_pid, boot_id, epoch, lease_until, state) VALUES"
                + " ('h1', " + OS_PID_1 + ", 'boot', 1, now() + interval '1 hour', 'LIVE'),"
                + " ('h2', " + OS_PID_2 + ", 'boot', 1, now() + interval '1 hour', 'LIVE')");
    }

    /** A small pool of its own, as one host would have. */
    HikariDataSource pool() {
        HikariConfig cfg = new HikariConfig();
        cfg.setJdbcUrl(url);
        cfg.setMaximumPoolSize(3);
        cfg.setPoolName("locks-" + POOLS.incrementAndGet());
        return new HikariDataSource(cfg);
    }

    void run(String sql) {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot run " + sql, e);
        }
    }

    long count(String sql) {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
             var r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot run " + sql, e);
        }
    }
}
