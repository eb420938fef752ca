package dev.tablevault.engine.store.pg;

import dev.tablevault.engine.store.Backend;
import dev.tablevault.engine.store.Keys;
import org.postgresql.PGConnection;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Lost acknowledgements for engine tests on a shared vault: replaces a {@link PgBackend}'s committer with one that
 * records, inside each write transaction, how many log entries process {@code pid} then has (a batch committed twice
 * shows the same count twice) and, once {@linkplain #arm armed}, kills the connection of the next commit before or
 * after the commit lands, as {@code PgBackendTest} does at the storage level.
 */
public final class PgFaults {
    /** Where the connection dies: after the commit landed, or before the server got it. */
    public enum Loss { AFTER_COMMIT, BEFORE_COMMIT }

    private final String url;
    private final byte[] logFrom;
    private final byte[] logTo;
    private final List<Long> logSizes = Collections.synchronizedList(new ArrayList<>());
    private final AtomicReference<Loss> armed = new AtomicReference<>();
    private final java.util.concurrent.atomic.AtomicInteger times = new java.util.concurrent.atomic.AtomicInteger();
    private volatile long lostAt = -1;

    private PgFaults(String url, String pid) {
        this.url = url;
        this.logFrom = Keys.prefix("L", pid);
        this.logTo = Keys.prefixEnd(logFrom);
    }

    /** Installs the recording committer on {@code backend} (a {@link PgBackend} of the vault at {@code url}). */
    public static PgFaults install(Backend backend, String url, String pid) {
        PgFaults f = new PgFaults(url, pid);
        ((PgBackend) backend).committer = f::commit;
        return f;
    }

    /** Makes the next commit lose its acknowledgement as {@code loss} says. */
    public void arm(Loss loss) {
        arm(loss, 1);
    }

    /** Makes the next {@code commits} commits lose their acknowledgements as {@code loss} says. */
    public void arm(Loss loss, int commits) {
        times.set(commits);
        armed.set(loss);
    }

    /** The log size of each commit attempt so far, in order (a lost one included). */
    public List<Long> logSizes() {
        synchronized (logSizes) {
            return List.copyOf(logSizes);
        }
    }

    /** The log size of the commit whose acknowledgement was lost, or -1. */
    public long lostAt() {
        return lostAt;
    }

    private void commit(Connection c) throws SQLException {
        long size;
        try (PreparedStatement s = c.prepareStatement("SELECT count(*) FROM tv_proc WHERE k >= ? AND k < ?")) {
            s.setBytes(1, logFrom);
            s.setBytes(2, logTo);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                size = r.getLong(1);
            }
        }
        logSizes.add(size);
        Loss loss = armed.get();
        if (loss != null && times.decrementAndGet() == 0) {
            armed.set(null);
        }
        if (loss == null) {
            c.commit();
            return;
        }
        lostAt = size;
        int serverPid = c.unwrap(PGConnection.class).getBackendPID();
        if (loss == Loss.BEFORE_COMMIT) {
            terminate(serverPid);
            c.commit(); // pgjdbc's own error: the server is gone
            throw new IllegalStateException("a commit on a terminated connection succeeded");
        }
        c.commit();
        terminate(serverPid);
        throw new PSQLException("An I/O error occurred while sending to the backend.", PSQLState.CONNECTION_FAILURE);
    }

    private void terminate(int serverPid) throws SQLException {
        try (Connection other = DriverManager.getConnection(url);
             PreparedStatement s = other.prepareStatement("SELECT pg_terminate_backend(?, 10000)")) {
            s.setInt(1, serverPid);
            s.execute();
        }
    }
}
