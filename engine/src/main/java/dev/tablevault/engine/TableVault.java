package dev.tablevault.engine;

import dev.tablevault.api.Durability;
import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.Hint;
import dev.tablevault.api.RecoveryReport;
import dev.tablevault.api.TvArgumentException;
import dev.tablevault.api.TvStorageException;
import dev.tablevault.api.Vault;
import dev.tablevault.api.VaultOptions;
import dev.tablevault.engine.codec.Codec;
import dev.tablevault.engine.codec.Records.VaultRecord;
import dev.tablevault.engine.store.Backend;
import dev.tablevault.engine.store.Batch;
import dev.tablevault.engine.store.Family;
import dev.tablevault.engine.store.FileErrors;
import dev.tablevault.engine.store.Keys;
import dev.tablevault.engine.store.rocks.RocksBackend;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Opens vaults. A vault is a directory holding {@code db/} (the RocksDB database) and {@code owner} (the OS
 * process that last opened it read-write, for error messages). One OS process at a time owns a vault (has it open
 * read-write) and serves the others of its user: a read-write open of a vault another live process owns returns
 * a vault that works through that owner, and takes ownership over when the owner goes away. Any number may open it
 * {@link VaultOptions#readOnly(boolean) read-only} meanwhile, without the owner. A vault shared by hosts is a
 * PostgreSQL database instead, opened by URL ({@link #open(String, VaultOptions)}).
 */
public final class TableVault {
    /**
     * The vault format this engine writes and the only one it reads. 2: instance records with dependencies and
     * per-column cell keys, execution progress with origin and carry (1 was never released). 3: process records
     * name their runner by pid and start time.
     */
    public static final int FORMAT_VERSION = 3;

    private static final DateTimeFormatter REPORT_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS")
            .withZone(ZoneOffset.UTC);

    private TableVault() {
    }

    /**
     * Opens (or with {@code create(true)} creates) the vault at {@code dir}; with {@code restart(true)} resumes
     * every active process before returning.
     *
     * @throws TvArgumentException if the path is not a vault, does not exist, or (create) is not empty
     * @throws TvStorageException if its format is newer, on I/O errors, if it belongs to another user, or (with
     *     {@code restart(true)}, which only the owner can do) if another OS process owns it
     */
    public static Vault open(Path dir, VaultOptions options) {
        return open(dir, options, true);
    }

    /**
     * Opens the vault at {@code location}: a PostgreSQL URL ({@code postgresql://user[:password]@host[:port]/db} or
     * {@code jdbc:postgresql://...}) opens a vault shared by hosts (see {@link VaultOptions#hostId(String)}, and
     * docs/ARCHITECTURE.md, "Hosts, leases and fencing"); anything else is a directory, as
     * {@link #open(Path, VaultOptions)}. A read-write open of a shared vault refuses with {@code VAULT_LOCKED} while
     * another host holds a live lease on it: one writing host at a time, for now.
     */
    public static Vault open(String location, VaultOptions options) {
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(options, "options");
        if (!SharedVaults.isUrl(location)) {
            return open(Path.of(location), options);
        }
        if (options.readOnly() && (options.create() || options.restart())) {
            throw new TvArgumentException(ErrorCode.BAD_ARGUMENT, "a read-only open cannot also create or restart"
                    + " the vault at " + location.replaceAll(":[^:@/]*@", "@"));
        }
        return SharedVaults.open(location, options);
    }

    /** Whether {@code location} names a vault shared by hosts (a PostgreSQL URL) rather than a directory. */
    public static boolean isShared(String location) {
        return SharedVaults.isUrl(location);
    }

    /** Opens as {@link #open(Path, VaultOptions)}; with {@code share} false it never becomes a client. */
    private static Vault open(Path dir, VaultOptions options, boolean share) {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(options, "options");
        if (options.readOnly() && (options.create() || options.restart())) {
            throw new TvArgumentException(ErrorCode.BAD_ARGUMENT, "a read-only open cannot also create or restart"
                    + " the vault " + dir);
        }
        if (dir.toAbsolutePath().toString().codePoints().anyMatch(Character::isSupplementaryCodePoint)) {
            // RocksDB's JNI binding passes paths as modified UTF-8, which mangles these characters: the open
            // would fail after the directory was made. Refuse before touching anything.
            throw new TvArgumentException(ErrorCode.BAD_ARGUMENT, "vault path " + dir + " has characters beyond"
                    + " U+FFFF (such as emoji), which RocksDB cannot open; choose another path");
        }
        Path db = dir.resolve("db");
        if (options.create()) {
            prepareNew(dir);
        } else if (!Files.exists(dir)) {
            throw new TvArgumentException(ErrorCode.NOT_FOUND, "no vault at " + dir + ": the directory does not"
                    + " exist").withHint(new Hint(Hint.Action.CREATE_VAULT, null, null));
        } else if (Files.isDirectory(dir) && (!Files.isReadable(dir) || !Files.isExecutable(dir))) {
            throw new TvStorageException(ErrorCode.PERMISSION_DENIED, "vault " + dir + " belongs to another user (this"
                    + " process may not enter it); open it as that user");
        } else if (!Files.isDirectory(db)) {
            throw new TvArgumentException(ErrorCode.BAD_ARGUMENT, dir + " is not a TableVault vault (it has no db/"
                    + " directory)");
        }
        Backend store;
        try {
            store = RocksBackend.open(db, new RocksBackend.Opening(options.create(), options.readOnly(),
                    options.durability(), options.groupedSyncMillis(), ownerHint(dir),
                    options.readOnly() && ownerAlive(dir), false));
        } catch (TvStorageException e) {
            if (!share || options.readOnly() || e.code() != ErrorCode.VAULT_LOCKED) {
                throw e;
            }
            return Sharing.connect(dir, options, e, () -> takeOver(dir, options));
        }
        VaultImpl vault = null;
        try {
            if (options.create()) {
                writeVaultRecord(store, options.author());
            } else {
                checkVaultRecord(store, dir);
            }
            if (!options.readOnly()) {
                writeOwner(dir, options.durability());
            }
            vault = new VaultImpl(dir, store, options, Clock.systemUTC());
            if (options.restart()) {
                vault.restart();
            }
            if (!options.readOnly()) {
                Sharing.serve(vault);
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

    /** Ownership of the vault for a client whose owner went away, or null while another process holds it. */
    private static Vault takeOver(Path dir, VaultOptions options) {
        try {
            return open(dir, options.create(false).restart(false), false);
        } catch (TvStorageException e) {
            if (e.code() == ErrorCode.VAULT_LOCKED) {
                return null;
            }
            throw e;
        }
    }

    /**
     * Opens the vault at {@code dir} at its last consistent point when its write-ahead log lost durable writes
     * (an open refuses such a vault with CORRUPTION), makes that point durable, and writes a report of what was
     * lost to {@code <dir>/recovery/}. A vault that lost nothing is not changed. Takes the vault read-write
     * ({@code options.durability()} applies); open it normally afterwards, with {@code restart(true)} to resume
     * processes whose end was lost.
     *
     * @throws TvStorageException if another OS process holds the vault, or its database files are damaged in a
     *                            way recovery cannot mend (a checksum failure in a table file: restore a backup)
     */
    public static RecoveryReport recover(Path dir, VaultOptions options) {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(options, "options");
        if (options.readOnly() || options.create()) {
            throw new TvArgumentException(ErrorCode.BAD_ARGUMENT, "recover opens the vault " + dir + " read-write;"
                    + " do not pass readOnly(true) or create(true)");
        }
        Path db = dir.resolve("db");
        if (!Files.isDirectory(db)) {
            throw new TvArgumentException(ErrorCode.NOT_FOUND, "no vault at " + dir + " (it has no db/ directory)");
        }
        try (RocksBackend store = RocksBackend.open(db, new RocksBackend.Opening(false, false, options.durability(),
                options.groupedSyncMillis(), ownerHint(dir), false, true))) {
            checkVaultRecord(store, dir);
            String name = "recovery/" + REPORT_TIME.format(Instant.now()) + ".json";
            RecoveryReport report = store.lossReport(name);
            if (report == null) {
                return new RecoveryReport(false, "nothing to recover: the write-ahead log of " + dir + " checks out"
                        + " to its last durable write", store.latestSequence(), store.latestSequence(), 0, List.of(),
                        List.of(), List.of(), null);
            }
            RecoveryReports.write(dir.resolve(name), report);
            store.acceptRecovery();
            writeOwner(dir, options.durability());
            return report;
        }
    }

    /**
     * {@link #recover(Path, VaultOptions)} for a vault named as {@code tv --vault} names it: a PostgreSQL URL is
     * refused with {@code BAD_ARGUMENT} (PostgreSQL recovers itself after a crash; there is no log to mend).
     */
    public static RecoveryReport recover(String location, VaultOptions options) {
        Objects.requireNonNull(location, "location");
        if (SharedVaults.isUrl(location)) {
            throw new TvArgumentException(ErrorCode.BAD_ARGUMENT, "recover mends a RocksDB vault directory;"
                    + " a PostgreSQL vault needs no recovery (PostgreSQL recovers itself after a crash)");
        }
        return recover(Path.of(location), options);
    }

    /** Lines describing processes that {@code restart(true)} could not finish on the last open of {@code vault}. */
    public static List<String> restartFailures(Vault vault) {
        return vault instanceof VaultImpl v ? v.restartFailures() : List.of();
    }

    /**
     * The run of each active process of {@code vault} by process id ({@link Backend#runs()}): host, fence and run
     * state on a shared vault; empty on a directory vault.
     */
    public static Map<String, Backend.Run> runs(Vault vault) {
        return vault instanceof VaultImpl v ? v.runs() : Map.of();
    }

    private static void prepareNew(Path dir) {
        try {
            if (Files.exists(dir)) {
                if (!Files.isDirectory(dir)) {
                    throw new TvArgumentException(ErrorCode.ALREADY_EXISTS, "refusing to create a vault at " + dir
                            + ": it is a file; choose a new or empty directory");
                }
                try (Stream<Path> s = Files.list(dir)) {
                    if (s.findAny().isPresent()) {
                        throw new TvArgumentException(ErrorCode.ALREADY_EXISTS, "refusing to create a vault at "
                                + dir + ": the directory is not empty; choose a new or empty directory");
                    }
                }
            }
            Files.createDirectories(dir);
            // the vault and its owner's socket are its user's alone (the socket server checks its peers too)
            Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        } catch (IOException e) {
            throw FileErrors.fileFailure(dir, "cannot create vault directory " + dir, e);
        }
    }

    static void writeVaultRecord(Backend store, String author) {
        Batch b = new Batch();
        b.put(Family.META, Keys.vault(), Codec.encode(new VaultRecord(FORMAT_VERSION, System.currentTimeMillis(),
                author)));
        store.write(b);
        store.sync();
    }

    static void checkVaultRecord(Backend store, Object dir) {
        byte[] v = store.get(Family.META, Keys.vault());
        if (v == null) {
            throw new TvStorageException(ErrorCode.CORRUPTION, "vault " + dir + " has no vault record: it was not"
                    + " fully created; delete the directory and create it again");
        }
        VaultRecord r = Codec.decode(v, VaultRecord.class, "vault record");
        if (r.formatVersion() > FORMAT_VERSION) {
            throw new TvStorageException(ErrorCode.UNSUPPORTED_FORMAT, "vault " + dir + " has format version "
                    + r.formatVersion() + "; this engine reads up to " + FORMAT_VERSION + ": upgrade TableVault");
        }
        if (r.formatVersion() < FORMAT_VERSION) {
            throw new TvStorageException(ErrorCode.UNSUPPORTED_FORMAT, "vault " + dir + " has format version "
                    + r.formatVersion() + ", written by a development build before the first release; this engine"
                    + " reads format " + FORMAT_VERSION + " and has no migration for it: export its tables with"
                    + " that build (tv show) and write them into a new vault");
        }
    }

    /** Whether the OS process the owner file names is alive (then it may be writing the vault). */
    private static boolean ownerAlive(Path dir) {
        try {
            String pid = Files.readString(dir.resolve("owner")).trim().split("\\s+")[0];
            return ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false);
        } catch (IOException | NumberFormatException e) {
            return true; // unknown: assume the worst for a reader, which then does not scan the log
        }
    }

    /** Who holds the vault, for the VAULT_LOCKED message; the owner file is a hint, not a lock. */
    private static String ownerHint(Path dir) {
        Path f = dir.resolve("owner");
        try {
            return Files.exists(f) ? "OS process " + Files.readString(f).trim().split("\\s+")[0]
                    : "another OS process";
        } catch (IOException e) {
            return "another OS process (its owner file " + f + " is unreadable: " + e.getMessage() + ")";
        }
    }

    /**
     * The durability the vault's last read-write owner opened it with, from the owner file; null when the file
     * does not say (no owner yet, or one older than this field).
     */
    static Durability ownerDurability(Path dir) {
        try {
            String[] parts = Files.readString(dir.resolve("owner")).trim().split("\\s+");
            return parts.length > 1 ? Durability.valueOf(parts[1]) : null;
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    /** The owner file: {@code <pid> <durability>}, a hint for messages and {@code tv stats}. */
    private static void writeOwner(Path dir, Durability durability) {
        try {
            Files.writeString(dir.resolve("owner"), ProcessHandle.current().pid() + " " + durability + "\n");
        } catch (IOException e) {
            throw FileErrors.fileFailure(dir, "cannot write " + dir.resolve("owner"), e);
        }
    }
}
