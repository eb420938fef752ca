package dev.tablevault.engine;

import dev.tablevault.api.Vault;
import dev.tablevault.api.VaultOptions;
import dev.tablevault.engine.store.pg.PgCluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One vault under test on either backend ({@link TestBackend#vault}): a folder (RocksDB), or a PostgreSQL schema
 * whose hosts keep their local folders ({@code local-<pid>}) and the artifacts ({@code artifacts/}, as in a
 * directory vault) in {@link #dir()}. A child JVM reopens it with {@link #of}{@code (location(), dir())}.
 */
public final class TestVault {
    /** The lease of a host a test kills: short, so that the next writer need not wait long for it to end. */
    public static final Duration SHORT_LEASE = Duration.ofSeconds(2);

    private final Path dir;
    private final String url;
    private boolean created;

    TestVault(Path dir, String url) {
        this.dir = dir;
        this.url = url;
    }

    /** The vault at {@code location} (a folder, or a PostgreSQL URL whose hosts keep their files in {@code dir}). */
    public static TestVault of(String location, String dir) {
        return new TestVault(Path.of(dir), TableVault.isShared(location) ? location : null);
    }

    /** What {@link TableVault#open(String, VaultOptions)} takes: the folder, or the database's URL. */
    public String location() {
        return url == null ? dir.toString() : url;
    }

    /** The vault's folder (RocksDB), or the folder of its hosts' local files and artifacts (PostgreSQL). */
    public Path dir() {
        return dir;
    }

    /** The folder the engine keeps this JVM's files of the vault in: the vault's (RocksDB), the local one. */
    public Path localDir() {
        return url == null ? dir : dir.resolve("local-" + ProcessHandle.current().pid());
    }

    /** Whether the vault was created: its folder exists (RocksDB), or this object created it (PostgreSQL). */
    public boolean exists() {
        return url == null ? Files.exists(dir) : created;
    }

    /**
     * {@link TableVault#open(String, VaultOptions)}; on PostgreSQL with this JVM's local folder and the artifact
     * root in {@link #dir()} unless {@code options} name others, and without adopting orphaned processes
     * ({@code adoptOrphans(false)}): as on a directory vault, only the test's own {@code restart(true)} or resume
     * continues a crashed process, so what a crash left can be inspected first.
     */
    public Vault open(VaultOptions options) {
        if (url == null) {
            return TableVault.open(dir, options);
        }
        VaultOptions o = (options.localDir() != null ? options : options.localDir(localDir())).adoptOrphans(false);
        Vault v = TableVault.open(url, o.artifactRoot() != null ? o : o.artifactRoot(dir));
        created |= options.create();
        return v;
    }

    /** {@link #open} with {@code create(true)}. */
    public Vault create(VaultOptions options) {
        return open(options.create(true));
    }

    /**
     * A copy of this closed vault named {@code name} beside it: its folder copied (RocksDB); its schema copied
     * ({@link PgCluster#copySchema}) and its folder of artifacts and local files (PostgreSQL).
     */
    public TestVault copy(String name) throws IOException {
        Path to = dir.resolveSibling(name);
        copyTree(dir, to);
        TestVault copy = new TestVault(to, url == null ? null : PgCluster.shared().copySchema(url, name));
        copy.created = created;
        return copy;
    }

    /**
     * Waits until no host holds a live lease on the vault (a killed host's runs out {@link #SHORT_LEASE} after its
     * last renewal, by the database clock), so that a read-write open is not refused; nothing to wait for on
     * RocksDB. Fails after a minute: a poll, not a timed assertion, the bound only stops a hang.
     */
    public void awaitNoLiveLease() {
        if (url != null) {
            awaitNoLiveLease(url);
        }
    }

    /** {@link #awaitNoLiveLease()} for the shared vault at {@code url}. */
    public static void awaitNoLiveLease(String url) {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            while (true) {
                try (ResultSet r = s.executeQuery("SELECT count(*) FROM tv_hosts WHERE state = 'LIVE'"
                        + " AND lease_until > now()")) {
                    r.next();
                    if (r.getLong(1) == 0) {
                        return;
                    }
                }
                assertThat(System.nanoTime() - deadline).as("the killed host's lease never ended").isNegative();
                LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the hosts of the vault at " + url, e);
        }
    }

    @Override
    public String toString() {
        return location();
    }

    private static void copyTree(Path from, Path to) throws IOException {
        if (!Files.exists(from)) {
            return;
        }
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        }
    }
}
