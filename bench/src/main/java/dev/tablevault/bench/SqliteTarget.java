package dev.tablevault.bench;

import org.sqlite.SQLiteConfig;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.ReentrantLock;

/**
 * SQLite (sqlite-jdbc) with {@code journal_mode=WAL} and {@code synchronous=FULL} (the WAL is fsynced at
 * every commit): one operation is one {@code INSERT} of a {@link RawRocksTarget#VALUE_BYTES}-byte row and
 * its {@code COMMIT}. SQLite has one writer at a time, so concurrent workers share one connection under a
 * lock, the usual way to use it from many threads (separate connections would only add busy-retry sleeps).
 */
final class SqliteTarget implements Target {
    private final String label;
    private final Path dir;
    private final Connection connection;
    private final PreparedStatement insert;
    private final ReentrantLock lock = new ReentrantLock();
    private final byte[] payload = new byte[RawRocksTarget.VALUE_BYTES];
    private final AtomicLongArray next = new AtomicLongArray(MAX_THREADS);

    SqliteTarget(String label) {
        this.label = label;
        this.dir = BenchDirs.create("tv-bench-sqlite-");
        Arrays.fill(payload, (byte) 'v');
        Connection c = null;
        PreparedStatement ps = null;
        try {
            SQLiteConfig config = new SQLiteConfig();
            config.setJournalMode(SQLiteConfig.JournalMode.WAL);
            config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
            c = config.createConnection("jdbc:sqlite:" + dir.resolve("bench.db"));
            try (Statement s = c.createStatement()) {
                s.executeUpdate("CREATE TABLE ops (id INTEGER PRIMARY KEY, name TEXT NOT NULL, payload BLOB NOT NULL)");
            }
            c.setAutoCommit(false);
            ps = c.prepareStatement("INSERT INTO ops (name, payload) VALUES (?, ?)");
        } catch (SQLException e) {
            closeQuietly(c);
            BenchDirs.deleteRecursively(dir);
            throw new IllegalStateException("cannot open SQLite in " + dir + ": " + e.getMessage(), e);
        }
        this.connection = c;
        this.insert = ps;
    }

    @Override
    public String label() {
        return label;
    }

    @Override
    public void op(int thread) {
        long seq = next.getAndIncrement(thread);
        lock.lock();
        try {
            insert.setString(1, "t" + thread + "_" + seq);
            insert.setBytes(2, payload);
            insert.executeUpdate();
            connection.commit();
        } catch (SQLException e) {
            throw new IllegalStateException("SQLite insert failed: " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        try {
            try {
                insert.close();
            } catch (SQLException e) {
                System.err.println("WARNING: SQLite statement close: " + e.getMessage());
            }
            closeQuietly(connection);
        } finally {
            BenchDirs.deleteRecursively(dir);
        }
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                System.err.println("WARNING: SQLite close: " + e.getMessage());
            }
        }
    }
}
