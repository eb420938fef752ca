package dev.tablevault.bench;

import dev.tablevault.api.Vault;
import dev.tablevault.api.VaultOptions;
import dev.tablevault.engine.TableVault;
import dev.tablevault.engine.store.pg.PgCluster;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Where a benchmark's vault lives (issue 15): {@link #ROCKS}, a directory vault (RocksDB), or {@link #PG}, a vault
 * shared by hosts in a fresh database of the throw-away PostgreSQL server ({@link PgCluster}: PostgreSQL 15 on
 * loopback, {@code fsync} and synchronous commits on, started on first use and deleted when the JVM exits). The
 * same benchmark code runs on either; {@code --backend rocks,pg} picks them. Stateless.
 */
enum BenchBackend {
    ROCKS("RocksDB"),
    PG("PostgreSQL");

    /** The host id of the benchmark's own JVM on a shared vault; child JVMs take others. */
    static final String HOST = "bench";

    final String label;

    BenchBackend(String label) {
        this.label = label;
    }

    /** {@code rocks,pg} (either or both, in the order given). @throws IllegalArgumentException otherwise */
    static List<BenchBackend> parse(String option, String csv) {
        List<BenchBackend> out = new ArrayList<>();
        for (String s : csv.split(",")) {
            switch (s.trim().toLowerCase(Locale.ROOT)) {
                case "rocks" -> out.add(ROCKS);
                case "pg" -> out.add(PG);
                default -> throw new IllegalArgumentException(option + " takes rocks,pg (either or both), got " + s);
            }
        }
        return List.copyOf(out);
    }

    /**
     * Where a new vault goes: {@code scratch/vault} for RocksDB, a new database's JDBC URL for PostgreSQL (the
     * server starts on the first call). Nothing is created yet: open it with {@code create(true)}.
     */
    String newLocation(Path scratch) {
        return this == ROCKS ? scratch.resolve("vault").toString() : PgCluster.shared().database("bench");
    }

    /** Opens {@code location} as host {@code host} (PostgreSQL; its local folder under {@code scratch}). */
    Vault open(String location, Path scratch, String host, VaultOptions options) {
        VaultOptions o = this == ROCKS ? options : options.hostId(host).localDir(scratch.resolve("local-" + host));
        return TableVault.open(location, o);
    }

    /** Opens {@code location} as this JVM's host, {@link #HOST}. */
    Vault open(String location, Path scratch, VaultOptions options) {
        return open(location, scratch, HOST, options);
    }

    /**
     * Waits until no host of the shared vault at {@code url} holds a live lease by the database clock, sleeping
     * until the latest lease's end and asking again (so within a millisecond or two of it); gives up after a
     * minute. Returns {@code System.nanoTime()} when it saw none.
     */
    static long awaitLeasesEnded(String url) throws SQLException, InterruptedException {
        long giveUp = System.nanoTime() + 60_000_000_000L;
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            while (System.nanoTime() < giveUp) {
                try (ResultSet r = s.executeQuery("SELECT coalesce(extract(epoch FROM max(lease_until) - now()), 0)"
                        + " FROM tv_hosts WHERE state = 'LIVE' AND lease_until > now()")) {
                    r.next();
                    double left = r.getDouble(1);
                    if (left <= 0) {
                        return System.nanoTime();
                    }
                    Thread.sleep(Math.max(1, (long) Math.ceil(left * 1000)));
                }
            }
        }
        throw new IllegalStateException("a host of " + url + " still holds a live lease after a minute");
    }

    /**
     * Round trips' proxy on a PostgreSQL vault: the statements the server has run in the database {@code url}
     * names ({@code pg_stat_statements}, counting BEGIN), and of them the BEGINs (write transactions), since
     * {@link #resetStatements}. Needs {@link #trackStatements()} before the database was made.
     */
    static long[] statements(String url) {
        try (Connection c = quiet(url); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT coalesce(sum(calls), 0), coalesce(sum(calls) FILTER (WHERE"
                     + " query ILIKE 'begin%'), 0) FROM pg_stat_statements WHERE dbid = (SELECT oid FROM"
                     + " pg_database WHERE datname = current_database()) AND query NOT ILIKE '%pg_stat_statements%'")) {
            r.next();
            return new long[] {r.getLong(1), r.getLong(2)};
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read pg_stat_statements of " + url, e);
        }
    }

    /**
     * The {@code n} statements run most often in {@code url}'s database since {@link #resetStatements}, each as
     * "calls per {@code per} (the server's mean execution time): query" (the query cut to 100 characters).
     */
    static List<String> topStatements(String url, int n, double per) {
        List<String> out = new ArrayList<>();
        try (Connection c = quiet(url); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT calls, mean_exec_time, left(regexp_replace(query, '\\s+', ' ', 'g'), 100)"
                     + " FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname ="
                     + " current_database()) AND query NOT ILIKE '%pg_stat_statements%' ORDER BY calls DESC LIMIT " + n)) {
            while (r.next()) {
                out.add(String.format(Locale.ROOT, "%.2f (%.3f ms on the server each): `%s`", r.getLong(1) / per,
                        r.getDouble(2), r.getString(3)));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read pg_stat_statements of " + url, e);
        }
        return out;
    }

    /** Zeroes {@link #statements}' counters (server-wide) and creates the extension in {@code url}'s database. */
    static void resetStatements(String url) {
        try (Connection c = quiet(url); Statement s = c.createStatement()) {
            s.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
            s.execute("SELECT pg_stat_statements_reset()");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot reset pg_stat_statements of " + url, e);
        }
    }

    /**
     * A connection that runs no statement of its own: pgjdbc sends {@code SET application_name} after connecting
     * unless told the server is new enough, and the counts above would include it. So a {@code SET
     * application_name} in them is a connection the engine's pool opened.
     */
    private static Connection quiet(String url) throws SQLException {
        return DriverManager.getConnection(url + (url.contains("?") ? "&" : "?") + "assumeMinServerVersion=15");
    }

    /**
     * Loads {@code pg_stat_statements} into the throw-away server (a restart: {@code crash()}, then start), for the
     * statement counts; BEGIN is counted as a statement (its {@code track_utility} is on by default).
     */
    static void trackStatements() {
        PgCluster cluster = PgCluster.shared();
        try (Connection c = DriverManager.getConnection(cluster.url("postgres")); Statement s = c.createStatement()) {
            s.execute("ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot configure pg_stat_statements", e);
        }
        cluster.crash();
        cluster.restart();
    }
}
