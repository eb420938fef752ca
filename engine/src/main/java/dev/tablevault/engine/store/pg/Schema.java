package dev.tablevault.engine.store.pg;

import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.TvStorageException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The vault's tables, versioned by migrations {@code V1.sql}, {@code V2.sql}, ... (resources next to this class,
 * found by probing numbers until one is missing). Each migration runs in one transaction and is recorded in
 * {@code tv_schema}. Migrators on several hosts serialize on a transaction-level advisory lock, so each version is
 * applied exactly once; a database newer than this engine is refused.
 */
final class Schema {
    /** The advisory lock migrators take: "tvschema" read as eight ASCII bytes. */
    private static final long LOCK = 0x7476736368656d61L;

    private Schema() {
    }

    /** The newest version this engine knows: the highest {@code Vn.sql} with every lower one present. */
    static int known() {
        int v = 0;
        while (Schema.class.getResource("V" + (v + 1) + ".sql") != null) {
            v++;
        }
        return v;
    }

    /** The database's version: 0 where there is no {@code tv_schema} table. */
    static int current(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT to_regclass('tv_schema') IS NOT NULL")) {
            r.next();
            if (!r.getBoolean(1)) {
                return 0;
            }
        }
        try (Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT coalesce(max(version), 0) FROM tv_schema")) {
            r.next();
            return r.getInt(1);
        }
    }

    /**
     * Applies the versions {@code c}'s database lacks, each in its own transaction, and returns the version it is
     * at. {@code c} must not be in a transaction; it is left in autocommit.
     *
     * @throws TvStorageException {@code UNSUPPORTED_FORMAT} when the database is newer than this engine
     */
    static int migrate(Connection c, String location) throws SQLException {
        int known = known();
        c.setAutoCommit(false);
        try {
            for (int v = 1; v <= known; v++) {
                try (Statement s = c.createStatement()) {
                    s.execute("SELECT pg_advisory_xact_lock(" + LOCK + ")");
                    s.execute("CREATE TABLE IF NOT EXISTS tv_schema (version int PRIMARY KEY,"
                            + " applied timestamptz NOT NULL DEFAULT now())");
                    int current = current(c);
                    refuseNewer(current, known, location);
                    if (current < v) {
                        s.execute(script(v));
                        s.execute("INSERT INTO tv_schema (version) VALUES (" + v + ")");
                    }
                }
                c.commit();
            }
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
        return known;
    }

    /** Refuses a database whose version is not {@code known()} (for read-only opens, which cannot migrate). */
    static void requireCurrent(int current, String location) {
        int known = known();
        refuseNewer(current, known, location);
        if (current < known) {
            throw new TvStorageException(ErrorCode.UNSUPPORTED_FORMAT, "the vault at " + location + " has schema"
                    + " version " + current + ", older than this engine's " + known + "; open it writable once to"
                    + " migrate it");
        }
    }

    private static void refuseNewer(int current, int known, String location) {
        if (current > known) {
            throw new TvStorageException(ErrorCode.UNSUPPORTED_FORMAT, "the vault at " + location + " has schema"
                    + " version " + current + ", newer than this engine's " + known + "; use a newer TableVault");
        }
    }

    private static String script(int version) {
        try (InputStream in = Schema.class.getResourceAsStream("V" + version + ".sql")) {
            if (in == null) {
                throw new IllegalStateException("migration V" + version + ".sql is missing from the engine's jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read migration V" + version + ".sql", e);
        }
    }
}
