package dev.tablevault.engine;

import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.Hint;
import dev.tablevault.api.TvArgumentException;
import dev.tablevault.api.TvStorageException;
import dev.tablevault.api.Vault;
import dev.tablevault.api.VaultOptions;
import dev.tablevault.engine.store.FileErrors;
import dev.tablevault.engine.store.Family;
import dev.tablevault.engine.store.Keys;
import dev.tablevault.engine.store.pg.PgBackend;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;

/**
 * Opens a vault shared by hosts: a PostgreSQL database named by URL. A read-write open registers this host's lease
 * and, until processes are fenced one by one, refuses while another host holds a live lease (one writing host at a
 * time; see docs/MULTI-HOST.md). There is no owner socket: every OS process opens the URL itself. What a vault
 * keeps on the host (the live board) lives in a local folder, {@link VaultOptions#localDir(Path)}.
 */
final class SharedVaults {
    private SharedVaults() {
    }

    /** Whether {@code location} names a PostgreSQL vault rather than a directory. */
    static boolean isUrl(String location) {
        return location.startsWith("postgresql://") || location.startsWith("jdbc:postgresql:");
    }

    /**
     * The system property that lowers the bound on the bytes of one commit ({@link PgBackend#maxBatchBytes()},
     * 64 MiB by default): for tests of the engine's checkpoints by bytes.
     */
    static final String MAX_BATCH_BYTES = "tablevault.pg.maxBatchBytes";

    static Vault open(String url, VaultOptions options) {
        PgBackend store;
        try {
            store = PgBackend.open(url, options.create(), options.readOnly(), options.durability(),
                    PgBackend.DEFAULT_POOL_SIZE, Long.getLong(MAX_BATCH_BYTES, PgBackend.DEFAULT_MAX_BATCH_BYTES));
        } catch (TvStorageException e) {
            if (e.code() == ErrorCode.NOT_FOUND) {
                throw notFound(e.getMessage());
            }
            throw e;
        }
        VaultImpl vault = null;
        try {
            if (!options.readOnly()) {
                store.registerHost(hostId(options), options.leaseTtl());
            }
            boolean exists = store.get(Family.META, Keys.vault()) != null;
            if (options.create()) {
                if (exists) {
                    throw new TvArgumentException(ErrorCode.ALREADY_EXISTS, "refusing to create a vault at "
                            + store.location() + ": the database holds one already; open it without create(true)");
                }
                TableVault.writeVaultRecord(store, options.author());
            } else if (!exists) {
                throw notFound("there is no vault at " + store.location() + ": the database has the vault's tables"
                        + " but no vault record (it was not fully created)");
            } else {
                TableVault.checkVaultRecord(store, store.location());
            }
            vault = new VaultImpl(localDir(store.location(), options), store, options, Clock.systemUTC());
            if (options.restart()) {
                vault.restart();
            }
            if (!options.readOnly() && options.adoptOrphans()) {
                vault.adoptOrphans();
            }
            return vault;
        } catch (RuntimeException e) {
            if (vault != null) {
                vault.closeBoard();
            }
            store.close();
            throw e;
        }
    }

    private static RuntimeException notFound(String message) {
        return new TvArgumentException(ErrorCode.NOT_FOUND, message + "; create it with create(true) (tv create)")
                .withHint(new Hint(Hint.Action.CREATE_VAULT, null, null));
    }

    /** {@link VaultOptions#hostId()}, or {@code <hostname>:<pid>}. */
    static String hostId(VaultOptions options) {
        if (options.hostId() != null) {
            return options.hostId();
        }
        String name;
        try {
            name = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            name = "localhost";
        }
        return name + ":" + ProcessHandle.current().pid();
    }

    /**
     * {@link VaultOptions#localDir()}, or {@code <java.io.tmpdir>/tablevault-<16 hex digits of the SHA-256 of the
     * location (no password) and the host id>}; made (owner-only) if missing when the open will keep a live board
     * there, so a read-only or board-less open leaves nothing behind.
     */
    static Path localDir(String location, VaultOptions options) {
        Path dir = options.localDir();
        if (dir == null) {
            dir = Path.of(System.getProperty("java.io.tmpdir"), "tablevault-" + hash(location + "\n" + hostId(options)));
        }
        try {
            if (!options.readOnly() && options.board() && !Files.isDirectory(dir)) {
                Files.createDirectories(dir);
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            }
        } catch (IOException e) {
            throw FileErrors.fileFailure(dir, "cannot create the local folder " + dir + " of the vault at " + location,
                    e);
        }
        return dir;
    }

    private static String hash(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }
}
