package dev.tablevault.engine.remote;

import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.TvStorageException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;

/**
 * Where the owner of a vault listens. A Unix socket path holds at most {@value #MAX_PATH_BYTES} bytes (the
 * kernel's {@code sun_path}), so the socket is {@code <vault>/owner.sock} when that fits and otherwise
 * {@code /tmp/tablevault-<uid>/<hash>.sock}, the hash being the first 32 hex digits of the SHA-256 of the vault's
 * real path: every process computes the same place from the vault path alone, so nothing needs recording. That
 * folder is made mode 0700 and refused unless this user owns it with that mode (another user could otherwise
 * make it first and listen in it).
 */
public final class OwnerSocket {
    /** The longest socket path Linux accepts, in bytes (108 with the terminating NUL). */
    static final int MAX_PATH_BYTES = 107;
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

    private OwnerSocket() {
    }

    /** The socket of the vault at {@code vaultDir}, which must exist. */
    public static Path of(Path vaultDir) {
        Path real = realPath(vaultDir);
        Path inVault = real.resolve("owner.sock");
        if (inVault.toString().getBytes(StandardCharsets.UTF_8).length <= MAX_PATH_BYTES) {
            return inVault;
        }
        return runtimeDir().resolve(hash(real.toString()) + ".sock");
    }

    /** Makes sure the folder of {@code socket} exists and is this user's alone (a no-op for the vault folder). */
    static void prepareFolder(Path socket) {
        Path dir = socket.getParent();
        if (!dir.equals(runtimeDir())) {
            return;
        }
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        } catch (FileAlreadyExistsException e) {
            // checked below
        } catch (IOException e) {
            throw new TvStorageException(ErrorCode.IO, "cannot create the socket folder " + dir + ": " + e, e);
        }
        checkPrivate(dir);
    }

    /** Refuses a socket folder another user owns or may enter. */
    static void checkPrivate(Path dir) {
        try {
            int owner = (Integer) Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS);
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS);
            if (owner != uid() || !mode.equals(OWNER_ONLY) || !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                throw new TvStorageException(ErrorCode.PERMISSION_DENIED, "the socket folder " + dir + " belongs to"
                        + " uid " + owner + " with mode " + PosixFilePermissions.toString(mode) + "; it must be a"
                        + " folder of uid " + uid() + " with mode rwx------: remove it (the next open makes it)");
            }
        } catch (IOException e) {
            throw new TvStorageException(ErrorCode.IO, "cannot check the socket folder " + dir + ": " + e, e);
        }
    }

    static Path runtimeDir() {
        return Path.of("/tmp", "tablevault-" + uid());
    }

    /** This process's user id. */
    static long uid() {
        return new com.sun.security.auth.module.UnixSystem().getUid();
    }

    private static Path realPath(Path dir) {
        try {
            return dir.toRealPath();
        } catch (IOException e) {
            return dir.toAbsolutePath().normalize();
        }
    }

    private static String hash(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
