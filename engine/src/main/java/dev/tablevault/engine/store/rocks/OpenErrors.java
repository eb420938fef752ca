package dev.tablevault.engine.store.rocks;

import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.TvStorageException;
import org.rocksdb.RocksDBException;
import org.rocksdb.Status;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Why a database would not open, told apart by facts rather than by RocksDB's wording: the status code
 * (Corruption), the kernel's lock table (another process holds {@code LOCK}), RocksDB naming the {@code LOCK} file
 * it could not lock, and the {@code CURRENT} file (which RocksDB reports as a missing MANIFEST, an I/O error, when
 * it is damaged).
 */
final class OpenErrors {
    private static final Pattern CURRENT = Pattern.compile("(MANIFEST-\\d+)\n");
    private static final Path PROC_LOCKS = Path.of("/proc/locks");

    private OpenErrors() {
    }

    /** Refuses with CORRUPTION when {@code CURRENT} does not name an existing MANIFEST. */
    static void checkCurrent(Path dbDir) {
        Path current = dbDir.resolve("CURRENT");
        String text;
        try {
            text = Files.readString(current, StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            if (hasManifest(dbDir)) {
                throw damaged(dbDir, "db/CURRENT is missing, though MANIFEST files are there");
            }
            return; // not a database yet; RocksDB says so
        } catch (IOException e) {
            throw new TvStorageException(ErrorCode.IO, "cannot read " + current + ": " + e, e);
        }
        Matcher m = CURRENT.matcher(text);
        if (!m.matches()) {
            throw damaged(dbDir, "db/CURRENT does not hold a MANIFEST file name (" + text.length() + " bytes)");
        }
        if (!Files.exists(dbDir.resolve(m.group(1)))) {
            throw damaged(dbDir, "db/CURRENT names " + m.group(1) + ", which does not exist");
        }
    }

    /**
     * A typed error for a failed open. Opening an existing vault names every column family a vault is created
     * with, so RocksDB's InvalidArgument there means its MANIFEST no longer lists them: damage, like a checksum.
     */
    static TvStorageException of(RocksDBException e, Path dbDir, String ownerHint, boolean create) {
        ErrorCode code = StoreErrors.code(e);
        Path vault = dbDir.getParent();
        if (!create && e.getStatus() != null && e.getStatus().getCode() == Status.Code.InvalidArgument) {
            code = ErrorCode.CORRUPTION;
        }
        if (code == ErrorCode.CORRUPTION) {
            return new TvStorageException(code, "cannot open vault " + vault + ": its database files are damaged ("
                    + e.getMessage() + "); 'tv verify' cannot run on it either: restore it from a backup", e);
        }
        if (code == ErrorCode.IO) {
            Path lockFile = dbDir.resolve("LOCK");
            OptionalLong holder = lockHolder(lockFile);
            // The holder may have let go between RocksDB's attempt and the look at the lock table (an owner closing
            // while another process takes over): the refusal itself, which names the LOCK file, still says it was
            // held, and the caller may try again.
            String m = String.valueOf(e.getMessage());
            boolean refused = m.contains("While lock file: ") && m.contains("LOCK");
            boolean hintedOwner = !Files.isReadable(PROC_LOCKS) && ownerAlive(ownerHint);
            if (holder.isPresent() || refused || hintedOwner) {
                String who = holder.isPresent() ? "OS process " + holder.getAsLong()
                        : hintedOwner || ownerAlive(ownerHint) ? ownerHint : "another OS process, which has just let go";
                return new TvStorageException(ErrorCode.VAULT_LOCKED, "vault " + vault + " is open read-write by "
                        + who + "; inspect it with VaultOptions.readOnly(true) or 'tv --vault " + vault + " ps' ("
                        + e.getMessage() + ")", e);
            }
        }
        return StoreErrors.toTv(e, "cannot open " + dbDir);
    }

    /**
     * The pid holding a POSIX lock on {@code lockFile}, from the kernel's lock table; empty when none does or the
     * table cannot be read (not Linux).
     */
    static OptionalLong lockHolder(Path lockFile) {
        if (!Files.isReadable(PROC_LOCKS) || !Files.exists(lockFile)) {
            return OptionalLong.empty();
        }
        try {
            long inode = ((Number) Files.getAttribute(lockFile, "unix:ino")).longValue();
            long dev = ((Number) Files.getAttribute(lockFile, "unix:dev")).longValue();
            long major = ((dev >>> 8) & 0xfff) | ((dev >>> 32) & ~0xfffL);
            long minor = (dev & 0xff) | ((dev >>> 12) & ~0xffL);
            List<String> lines = Files.readAllLines(PROC_LOCKS);
            for (String line : lines) {
                // "1: POSIX  ADVISORY  WRITE 12345 fd:01:1234567 0 EOF"
                String[] f = line.trim().split("\\s+");
                if (f.length >= 6 && f[1].equals("POSIX")) {
                    String[] at = f[5].split(":");
                    if (at.length == 3 && Long.parseLong(at[2]) == inode && Long.parseLong(at[0], 16) == major
                            && Long.parseLong(at[1], 16) == minor) {
                        return OptionalLong.of(Long.parseLong(f[4]));
                    }
                }
            }
        } catch (IOException | UnsupportedOperationException | NumberFormatException e) {
            return OptionalLong.empty();
        }
        return OptionalLong.empty();
    }

    private static boolean ownerAlive(String ownerHint) {
        Matcher m = Pattern.compile("OS process (\\d+)").matcher(ownerHint);
        return m.find() && ProcessHandle.of(Long.parseLong(m.group(1))).map(ProcessHandle::isAlive).orElse(false);
    }

    private static boolean hasManifest(Path dbDir) {
        try (Stream<Path> s = Files.list(dbDir)) {
            return s.anyMatch(f -> f.getFileName().toString().startsWith("MANIFEST-"));
        } catch (IOException e) {
            return false;
        }
    }

    private static TvStorageException damaged(Path dbDir, String what) {
        return new TvStorageException(ErrorCode.CORRUPTION, "cannot open vault " + dbDir.getParent() + ": " + what
                + "; the vault is damaged: restore it from a backup");
    }
}
