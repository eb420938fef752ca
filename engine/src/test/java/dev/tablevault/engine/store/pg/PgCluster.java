package dev.tablevault.engine.store.pg;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A throw-away PostgreSQL server for tests: Debian's binaries ({@code pg_config --bindir}, else the newest
 * {@code /usr/lib/postgresql/<version>/bin}, or {@code -Dtv.pg.bin}), a fresh cluster in a temporary folder,
 * listening on a free loopback port, with {@code fsync} and synchronous commits on. One cluster per test JVM,
 * started on first use and stopped (its folder deleted, see {@link #stop}) when the JVM exits; each test class takes a
 * {@link #database fresh database}. A test JVM killed outright leaves its server and folder behind.
 *
 * <p>Where PostgreSQL is not installed, {@link #shared()} skips the calling test with one message saying how to
 * install it ({@code .ci/install-postgres}); under {@code -Dtv.pg.required=true} (CI) it fails instead. Run as
 * root, the server runs as the {@code postgres} user ({@code initdb} refuses root).
 *
 * <p>Thread safe.
 */
public final class PgCluster {
    private static final String INSTALL = "install PostgreSQL 15+ with `bash .ci/install-postgres` (Debian), or"
            + " point -Dtv.pg.bin at its bin directory";
    /** The database of the vaults in {@link #schema schemas}. */
    private static final String VAULTS = "tv_vaults";
    private static PgCluster shared;
    private static String unavailable;

    private final Path bin;
    private final Path dir;
    private final int port;
    private final boolean asPostgresUser;
    private final AtomicInteger databases = new AtomicInteger();
    private boolean vaultsMade;

    private PgCluster(Path bin, Path dir, int port, boolean asPostgresUser) {
        this.bin = bin;
        this.dir = dir;
        this.port = port;
        this.asPostgresUser = asPostgresUser;
    }

    /**
     * The JVM's cluster, started on first call. Skips the calling test (JUnit assumption) where PostgreSQL is not
     * installed, unless {@code tv.pg.required} is true: then it fails.
     */
    public static synchronized PgCluster shared() {
        if (shared == null && unavailable == null) {
            Path bin = findBin();
            if (bin == null) {
                unavailable = "PostgreSQL is not installed: the PostgreSQL tests are skipped; " + INSTALL;
            } else {
                shared = start(bin);
                Runtime.getRuntime().addShutdownHook(new Thread(shared::stop, "pg-cluster-stop"));
            }
        }
        if (shared == null) {
            if (Boolean.getBoolean("tv.pg.required")) {
                throw new IllegalStateException(unavailable + " (tv.pg.required is set)");
            }
            Assumptions.abort(unavailable);
        }
        return shared;
    }

    /** A new, empty database; its JDBC URL names user {@code postgres}, who needs no password here. */
    public String database(String hint) {
        String name = name(hint);
        try (Connection c = DriverManager.getConnection(url("postgres")); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name + " on " + url("postgres"), e);
        }
        return url(name);
    }

    /**
     * A new, empty schema for one vault in the database {@value #VAULTS} (made on first use), its URL selecting it
     * ({@code currentSchema}): what {@link #database} gives a vault, for suites that make hundreds of vaults, at a
     * fraction of the cost (a database takes 0.1-0.2 s and 7.5 MB of write-ahead log to make, a schema almost
     * nothing).
     */
    public String schema(String hint) {
        String name = name(hint);
        try (Connection c = DriverManager.getConnection(vaults()); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create schema " + name + " on " + vaults(), e);
        }
        return vaults() + "&currentSchema=" + name;
    }

    /**
     * A copy of the vault at {@code url} (a {@link #schema}; nobody may be writing to it): a new schema with the
     * vault's tables made by its migrations, every row of the original, and its sequences where they are there.
     */
    public String copySchema(String url, String hint) {
        String from = url.substring(url.indexOf("&currentSchema=") + "&currentSchema=".length());
        String to = name(hint);
        try (Connection c = DriverManager.getConnection(vaults()); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + to);
            s.execute("SET search_path = " + to);
            Schema.migrate(c, to);
            c.setAutoCommit(false);
            // the rows arrive in no particular order: foreign keys are not checked while they do
            s.execute("SET LOCAL session_replication_role = replica");
            for (String t : strings(s, "SELECT table_name FROM information_schema.tables WHERE table_schema = '"
                    + from + "' AND table_type = 'BASE TABLE'")) {
                s.execute("DELETE FROM " + to + "." + t);
                s.execute("INSERT INTO " + to + "." + t + " OVERRIDING SYSTEM VALUE SELECT * FROM " + from + "." + t);
            }
            for (String q : strings(s, "SELECT sequencename FROM pg_sequences WHERE schemaname = '" + from
                    + "' AND last_value IS NOT NULL")) {
                s.execute("SELECT setval('" + to + "." + q + "', (SELECT last_value FROM " + from + "." + q + "))");
            }
            c.commit();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot copy schema " + from + " to " + to + " on " + vaults(), e);
        }
        return vaults() + "&currentSchema=" + to;
    }

    private static List<String> strings(Statement s, String query) throws SQLException {
        List<String> out = new ArrayList<>();
        try (ResultSet r = s.executeQuery(query)) {
            while (r.next()) {
                out.add(r.getString(1));
            }
        }
        return out;
    }

    /** The URL of the database {@value #VAULTS}, made on first call. */
    private synchronized String vaults() {
        if (!vaultsMade) {
            try (Connection c = DriverManager.getConnection(url("postgres")); Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE " + VAULTS);
            } catch (SQLException e) {
                throw new IllegalStateException("cannot create database " + VAULTS + " on " + url("postgres"), e);
            }
            vaultsMade = true;
        }
        return url(VAULTS);
    }

    private String name(String hint) {
        return (hint.replaceAll("[^A-Za-z0-9]", "_") + "_" + databases.incrementAndGet()).toLowerCase(Locale.ROOT);
    }

    public String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=postgres";
    }

    public int port() {
        return port;
    }

    /** Stops the server at once, as a crash would ({@code pg_ctl stop -m immediate}). */
    public void crash() {
        pgCtl("stop", "-m", "immediate");
    }

    /** Starts the server again after {@link #crash()} or {@link #stop()}. */
    public void restart() {
        pgCtl("start", "-w", "-l", dir.resolve("server.log").toString(), "-o", options(port));
    }

    /**
     * Stops the server and deletes its folder, both quickly enough for Surefire, which kills a test JVM still
     * exiting after 30 s. The stop is immediate: the cluster is thrown away, so the shutdown checkpoint of a fast
     * stop (every dirty buffer, fsynced: over 30 s after a suite made a few hundred databases) is work for nothing.
     * The folder (tens of thousands of files then) is deleted by {@code rm -rf}, waited for up to 20 s; on a busy
     * disk it may finish after the JVM has exited.
     */
    void stop() {
        pgCtl("stop", "-m", "immediate");
        try {
            Process rm = new ProcessBuilder("rm", "-rf", dir.toString()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            rm.waitFor(20, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new IllegalStateException("cannot delete the test cluster's folder " + dir, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static PgCluster start(Path bin) {
        try {
            // Under the temporary directory, not target/: the server's user must reach the folder, and a checkout
            // may sit under a folder only its owner can enter (mktemp -d makes them so).
            Path dir = Files.createTempDirectory("tv-pg-");
            boolean asPostgres = "root".equals(System.getProperty("user.name"));
            if (asPostgres) {
                giveToPostgres(dir);
            }
            PgCluster c = new PgCluster(bin, dir, freePort(), asPostgres);
            c.run(List.of(bin.resolve("initdb").toString(), "-D", dir.resolve("data").toString(), "-A", "trust",
                    "-U", "postgres", "-E", "UTF8", "--no-sync"));
            c.restart();
            return c;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start PostgreSQL from " + bin, e);
        }
    }

    private static String options(int port) {
        return "-p " + port + " -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c fsync=on"
                + " -c synchronous_commit=on -c shared_buffers=128MB -c max_connections=200";
    }

    private void pgCtl(String... args) {
        List<String> cmd = new ArrayList<>(List.of(bin.resolve("pg_ctl").toString(), "-D",
                dir.resolve("data").toString()));
        cmd.addAll(List.of(args));
        run(cmd);
    }

    private void run(List<String> command) {
        List<String> cmd = new ArrayList<>();
        if (asPostgresUser) {
            cmd.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        cmd.addAll(command);
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("commands.log").toFile()).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("timed out: " + cmd);
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("failed (" + p.exitValue() + "): " + cmd + "\n"
                        + Files.readString(dir.resolve("commands.log")));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + cmd, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + cmd, e);
        }
    }

    private static Path findBin() {
        String given = System.getProperty("tv.pg.bin");
        if (given != null && !given.isBlank()) {
            return Files.isExecutable(Path.of(given, "initdb")) ? Path.of(given) : null; // no initdb: not installed
        }
        try {
            Process p = new ProcessBuilder("pg_config", "--bindir").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            if (p.waitFor() == 0 && Files.isExecutable(Path.of(out, "initdb"))) {
                return Path.of(out);
            }
        } catch (IOException e) {
            // no pg_config on the PATH: look where Debian installs the server
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
        Path debian = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(debian)) {
            return null;
        }
        try (Stream<Path> versions = Files.list(debian)) {
            return versions.map(v -> v.resolve("bin"))
                    .filter(b -> Files.isExecutable(b.resolve("initdb")))
                    .max(Comparator.comparingInt(b -> Integer.parseInt(b.getParent().getFileName().toString()
                            .replaceAll("\\D", "0"))))
                    .orElse(null);
        } catch (IOException e) {
            return null;
        }
    }

    private static void giveToPostgres(Path dir) throws IOException {
        UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
        UserPrincipal postgres = users.lookupPrincipalByName("postgres");
        GroupPrincipal group = users.lookupPrincipalByGroupName("postgres");
        PosixFileAttributeView attrs = Files.getFileAttributeView(dir, PosixFileAttributeView.class);
        attrs.setOwner(postgres);
        attrs.setGroup(group);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
