package dev.tablevault.engine.store.rocks;

import org.rocksdb.RocksDB;
import org.rocksdb.util.Environment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HexFormat;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;

/**
 * Loads RocksDB's JNI library from a per-user cache. RocksDB's own loader extracts the library (about 17 MB)
 * from its jar into {@code java.io.tmpdir} on every start, as a file deleted on exit, so each JVM that is killed
 * leaves a copy behind.
 *
 * <p>Here it is extracted once per library build to {@code <base>/rocksdbjni-<crc>/}, where {@code <crc>} is the
 * CRC-32 of the library in the jar (the jar records no version) and {@code <base>} is the system property
 * {@value #DIR_PROPERTY}, else {@code $XDG_CACHE_HOME/tablevault}, else {@code ~/.cache/tablevault}; then loaded
 * from there with {@link RocksDB#loadLibrary(List)}, which also marks it loaded for RocksDB's own classes. The file
 * is written under a temporary name in that folder, forced to disk and renamed atomically, so concurrent JVMs and
 * a kill at any point leave either no library or a whole one (a killed extraction may leave its {@code .part}
 * file); an existing library is used when its size and CRC-32 match, else replaced. When the folder cannot be
 * written or the library does not load from it, RocksDB's own loader is used, with a warning. Thread safe; the
 * work is done once per JVM.
 */
public final class NativeLibrary {
    /** System property naming the base folder of the cache. */
    public static final String DIR_PROPERTY = "tablevault.nativeDir";
    private static final Logger LOG = LoggerFactory.getLogger(NativeLibrary.class);
    private static boolean loaded;

    private NativeLibrary() {
    }

    /** Loads the library, once; later calls return at once. */
    public static synchronized void load() {
        if (loaded) {
            return;
        }
        URL resource = resource();
        if (resource == null) {
            RocksDB.loadLibrary(); // not in the jar for this platform: RocksDB's loader looks elsewhere
        } else {
            Path dir = null;
            try {
                Checksum expected = expected(resource);
                dir = base().resolve("rocksdbjni-" + HexFormat.of().toHexDigits((int) expected.crc()));
                // The name loadLibrary(List) loads (with "jni" twice: "rocksdbjni" gets a "jni" suffix).
                Path file = dir.resolve(Environment.getJniLibraryFileName("rocksdbjni"));
                if (!expected.equals(checksum(file))) {
                    extract(resource, dir, file, expected);
                }
                RocksDB.loadLibrary(List.of(dir.toString()));
                LOG.debug("RocksDB's native library loaded from {}", file);
            } catch (IOException | RuntimeException | UnsatisfiedLinkError e) {
                LOG.warn("cannot use the native library cache {} ({}); RocksDB extracts its library into"
                        + " java.io.tmpdir instead, where a killed JVM leaves it behind. Set -D{} to a writable"
                        + " folder", dir, e.toString(), DIR_PROPERTY);
                RocksDB.loadLibrary();
            }
        }
        loaded = true;
    }

    /** The base folder of the cache; see the class comment. */
    static Path base() {
        String dir = System.getProperty(DIR_PROPERTY);
        if (dir != null && !dir.isBlank()) {
            return Path.of(dir);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path cache = xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute() ? Path.of(xdg)
                : Path.of(System.getProperty("user.home"), ".cache");
        return cache.resolve("tablevault");
    }

    /** The library for this platform in RocksDB's jar, as its own loader looks for it, or null. */
    private static URL resource() {
        URL url = RocksDB.class.getResource("/" + Environment.getJniLibraryFileName("rocksdb"));
        String fallback = Environment.getFallbackJniLibraryFileName("rocksdb");
        return url != null || fallback == null ? url : RocksDB.class.getResource("/" + fallback);
    }

    /** Size and CRC-32 of a file's bytes. */
    private record Checksum(long size, long crc) {
    }

    /** The resource's checksum: from the jar's directory when it is in a jar, else by reading it. */
    private static Checksum expected(URL resource) throws IOException {
        if (open(resource) instanceof JarURLConnection c) {
            try (JarFile jar = c.getJarFile()) {
                ZipEntry e = jar.getEntry(c.getEntryName());
                if (e != null && e.getSize() >= 0 && e.getCrc() >= 0) {
                    return new Checksum(e.getSize(), e.getCrc());
                }
            }
        }
        try (InputStream in = open(resource).getInputStream()) {
            return copy(in, OutputStream.nullOutputStream());
        }
    }

    /** A connection that keeps no jar open once its stream is closed (the JDK caches jar files otherwise). */
    private static URLConnection open(URL resource) throws IOException {
        URLConnection c = resource.openConnection();
        c.setUseCaches(false);
        return c;
    }

    /** The checksum of {@code file}, or null when there is none. */
    private static Checksum checksum(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return copy(in, OutputStream.nullOutputStream());
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private static Checksum copy(InputStream in, OutputStream out) throws IOException {
        CRC32 crc = new CRC32();
        byte[] buf = new byte[1 << 16];
        long size = 0;
        for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
            crc.update(buf, 0, n);
            out.write(buf, 0, n);
            size += n;
        }
        return new Checksum(size, crc.getValue());
    }

    /**
     * Writes the library to a temporary file beside {@code file}, forces it to disk and renames it over
     * {@code file} atomically: a JVM that loaded the previous file keeps its mapping, and every other JVM sees the
     * old file or the new one, never a part.
     */
    private static void extract(URL resource, Path dir, Path file, Checksum expected) throws IOException {
        Files.createDirectories(dir);
        Path part = Files.createTempFile(dir, file.getFileName().toString(), ".part");
        try {
            Checksum written;
            try (InputStream in = open(resource).getInputStream();
                 FileChannel out = FileChannel.open(part, StandardOpenOption.WRITE)) {
                written = copy(in, Channels.newOutputStream(out));
                out.force(true);
            }
            if (!written.equals(expected)) {
                throw new IOException("the library read from " + resource + " has " + written + ", its jar says "
                        + expected);
            }
            try {
                Files.move(part, file, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                // Where a file in use cannot be replaced (Windows), another JVM may just have put a whole one.
                if (!expected.equals(checksum(file))) {
                    throw e;
                }
            }
        } finally {
            Files.deleteIfExists(part);
        }
    }
}
