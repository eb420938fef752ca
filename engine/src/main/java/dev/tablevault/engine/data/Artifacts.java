package dev.tablevault.engine.data;

import dev.tablevault.api.Column;
import dev.tablevault.api.ColumnType;
import dev.tablevault.api.Durability;
import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.TvArgumentException;
import dev.tablevault.api.TvBuilderException;
import dev.tablevault.api.TvStorageException;
import dev.tablevault.engine.codec.Codec;
import dev.tablevault.engine.codec.Records.ArtifactSums;
import dev.tablevault.engine.store.Backend;
import dev.tablevault.engine.store.Batch;
import dev.tablevault.engine.store.Family;
import dev.tablevault.engine.store.FileErrors;
import dev.tablevault.engine.store.Keys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;
import java.util.stream.Stream;

/**
 * Artifact files. Each instance key owns the folder {@code <vault>/artifacts/<key>}; the folder is published
 * by the commit that makes the instance (and, for a single-artifact table, the table's artifact instance)
 * point at it, so publication is atomic with materialization, and a reverted or unsuccessful instance's
 * files never become the table's. A folder is deleted only after the batch that drops its instance is
 * durable. An external-edit temporary instance has a staging folder {@code <vault>/artifacts/temp/<table>/
 * <TEMP_version>} instead, where the caller puts the files before {@code writeInstance}; that links them into
 * the new instance's folder before its commit, and the staging folder goes once the commit is durable.
 * The materializing commit also records the size and CRC32C of every file in the folder ({@link ArtifactSums},
 * under {@link #sumsKey}), after the files and folders are fsynced, so that {@code verify} finds a file that
 * changed, shrank or went missing since. Stateless.
 */
public final class Artifacts {
    private static final Logger LOG = LoggerFactory.getLogger(Artifacts.class);

    private Artifacts() {
    }

    /** What a missing or misplaced artifact is reported as, and where the file should have been put. */
    public enum Source {
        BUILDER("BuildContext.artifactFolder()", "returning its path"),
        WRITE("vault.artifactFolder(table, \"TEMP_<version>\")", "writeInstance");

        private final String folder;
        private final String before;

        Source(String folder, String before) {
            this.folder = folder;
            this.before = before;
        }

        RuntimeException error(String message) {
            return this == BUILDER ? new TvBuilderException(ErrorCode.BAD_BUILDER, message)
                    : new TvArgumentException(ErrorCode.BAD_ARGUMENT, message);
        }
    }

    public static Path folder(Path vault, long key) {
        return vault.resolve("artifacts").resolve(Long.toString(key));
    }

    /** The staging folders of a table's external-edit temporary instances. */
    public static Path stagingRoot(Path vault, String table) {
        return vault.resolve("artifacts").resolve("temp").resolve(table);
    }

    /** The staging folder of external-edit temporary instance {@code tempId}. */
    public static Path staging(Path vault, String table, String tempId) {
        return stagingRoot(vault, table).resolve(tempId);
    }

    /**
     * Checks that every value of the ARTIFACT columns of {@code t} names a file under the folder of {@code key}; a file
     * found instead in one of {@code fallbacks} (the origin's folder, the table's current artifact instance's, a
     * staging folder) is linked (or copied) in, as values carried over from an origin refer to its files.
     *
     * @throws TvBuilderException (from a builder) or TvArgumentException (written) naming column, row and path
     *         for a missing file or a path leaving the folder
     */
    public static void check(Path vault, long key, ChunkTable t, List<Path> fallbacks, Source source) {
        List<Column> columns = t.columns();
        long rows = t.rows();
        List<Integer> cols = new ArrayList<>();
        for (int c = 0; c < columns.size(); c++) {
            if (columns.get(c).type() == ColumnType.ARTIFACT) {
                cols.add(c);
            }
        }
        if (cols.isEmpty()) {
            return;
        }
        Path dir = folder(vault, key);
        for (int c : cols) {
            for (long r = 0; r < rows; r++) {
                Object v = t.value(c, r);
                if (v != null) {
                    place(vault, dir, (String) v, columns.get(c).name(), r, fallbacks, source);
                }
            }
        }
    }

    private static void place(Path vault, Path dir, String value, String column, long row, List<Path> fallbacks,
                              Source source) {
        Path rel;
        try {
            rel = Path.of(value).normalize();
        } catch (java.nio.file.InvalidPathException e) {
            throw source.error("column '" + column + "' row " + row + " names artifact '" + value + "', which is not"
                    + " a path (" + e.getReason() + ")");
        }
        if (value.isEmpty() || rel.isAbsolute() || rel.startsWith("..")) {
            throw source.error("column '" + column + "' row " + row + " names artifact '" + value + "'; artifact"
                    + " paths are relative to the instance's artifact folder (" + source.folder + ") and stay"
                    + " inside it");
        }
        Path target = dir.resolve(rel);
        if (Files.isRegularFile(target)) {
            return;
        }
        for (Path folder : fallbacks) {
            Path src = folder.resolve(rel);
            if (Files.isRegularFile(src)) {
                try {
                    Files.createDirectories(target.getParent());
                    try {
                        Files.createLink(target, src);
                    } catch (FileSystemException | UnsupportedOperationException e) {
                        Files.copy(src, target, StandardCopyOption.REPLACE_EXISTING);
                    }
                    return;
                } catch (IOException e) {
                    throw FileErrors.fileFailure(vault, "cannot bring artifact " + src + " into " + dir, e);
                }
            }
        }
        throw source.error("column '" + column + "' row " + row + " names artifact '" + value + "', which is not"
                + " in the instance's artifact folder" + (source == Source.WRITE ? "" : " " + dir) + "; write it under "
                + source.folder + " before " + source.before);
    }

    /** The key in {@code meta} of the {@link ArtifactSums} of instance key {@code key}. */
    public static byte[] sumsKey(long key) {
        return Keys.of("A", Long.toString(key));
    }

    /** The size and CRC32C of one file's contents. */
    public record Sum(long size, int crc32c) {
    }

    /**
     * Seals the artifact folder of instance key {@code key} for the commit (in {@code b}) that materializes its
     * instance: records the size and CRC32C of every file in it, and, unless the vault's durability is NONE,
     * fsyncs every file, every folder below it, the folder itself and its parents up to the vault directory
     * first, so that a durable commit never publishes files that are still only in the page cache (GROUPED too:
     * its next WAL sync may come long before the kernel writes the files back). A file that is a hard link to
     * the same path in the folder of a key in {@code carriedFrom} keeps that folder's recorded checksum, unread:
     * a carried file costs no read, and damage it took since its first publication stays visible. Nothing is
     * recorded when {@code key} is 0 or has no folder.
     */
    public static void seal(Backend s, Path vault, Durability durability, Batch b, long key,
                            List<Long> carriedFrom) {
        Path dir = folder(vault, key);
        if (key == 0 || !Files.isDirectory(dir)) {
            return;
        }
        List<Recorded> recorded = new ArrayList<>();
        for (long k : carriedFrom) {
            byte[] v = s.get(Family.META, sumsKey(k));
            if (v != null) {
                recorded.add(new Recorded(folder(vault, k), Codec.decode(v, ArtifactSums.class,
                        "artifact checksums of instance key " + k)));
            }
        }
        boolean sync = durability != Durability.NONE;
        List<String> paths = new ArrayList<>();
        List<Long> sizes = new ArrayList<>();
        List<Integer> sums = new ArrayList<>();
        ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
        try {
            List<Path> dirs = new ArrayList<>();
            for (Path f : tree(dir)) {
                if (Files.isDirectory(f, LinkOption.NOFOLLOW_LINKS)) {
                    dirs.add(f);
                    continue;
                }
                if (!Files.isRegularFile(f)) {
                    continue;
                }
                String rel = relative(dir, f);
                Sum sum = carried(f, rel, recorded);
                try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
                    if (sum == null) {
                        sum = sum(ch, buf);
                    }
                    if (sync) {
                        ch.force(true);
                    }
                }
                paths.add(rel);
                sizes.add(sum.size());
                sums.add(sum.crc32c());
            }
            if (sync) {
                // Deepest first: the entries in a folder before the entry naming it; then the parents.
                Collections.reverse(dirs);
                for (Path d = dir.getParent(); d != null && d.startsWith(vault); d = d.getParent()) {
                    dirs.add(d);
                }
                for (Path d : dirs) {
                    try (FileChannel ch = FileChannel.open(d, StandardOpenOption.READ)) {
                        ch.force(true);
                    }
                }
            }
        } catch (IOException e) {
            throw new TvStorageException(ErrorCode.IO, "cannot checksum and sync the artifact folder " + dir
                    + " before publishing it: " + e, e);
        }
        b.put(Family.META, sumsKey(key), Codec.encode(new ArtifactSums(paths, sizes, sums)));
    }

    /** The checksums recorded for folder {@code dir}, by path. */
    private record Recorded(Path dir, Map<String, Sum> sums) {
        Recorded(Path dir, ArtifactSums a) {
            this(dir, new HashMap<>());
            for (int i = 0; i < a.paths().size(); i++) {
                sums.put(a.paths().get(i), new Sum(a.sizes().get(i), a.crc32c().get(i)));
            }
        }
    }

    /** The recorded checksum of {@code f} when it is a hard link to the same path in a recorded folder. */
    private static Sum carried(Path f, String rel, List<Recorded> recorded) throws IOException {
        for (Recorded r : recorded) {
            Sum sum = r.sums().get(rel);
            Path other = r.dir().resolve(rel);
            if (sum != null && Files.isRegularFile(other) && Files.isSameFile(f, other)) {
                return sum;
            }
        }
        return null;
    }

    /** The size and CRC32C of the file open in {@code ch}, read from its start with {@code buf}. */
    public static Sum sum(FileChannel ch, ByteBuffer buf) throws IOException {
        CRC32C crc = new CRC32C();
        long size = 0;
        buf.clear();
        for (int n; (n = ch.read(buf)) >= 0; buf.clear()) {
            buf.flip();
            crc.update(buf);
            size += n;
        }
        return new Sum(size, (int) crc.getValue());
    }

    /** {@code dir} and every directory and file below it, sorted (a folder before what it holds). */
    public static List<Path> tree(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            return all.sorted().toList();
        }
    }

    /** {@code f} relative to {@code dir}, {@code /}-separated, as ARTIFACT values and {@link ArtifactSums} name it. */
    public static String relative(Path dir, Path f) {
        Path rel = dir.relativize(f);
        StringBuilder out = new StringBuilder();
        for (Path part : rel) {
            out.append(out.isEmpty() ? "" : "/").append(part);
        }
        return out.toString();
    }

    /** Deletes the folder of {@code key}; a failure leaves an orphan folder, which is logged. */
    public static void delete(Path vault, long key) {
        if (key != 0) {
            deleteTree(folder(vault, key));
        }
    }

    /**
     * Moves a table's staging folders to its new name; a failure leaves them under the old name, which is
     * logged.
     */
    public static void renameStaging(Path vault, String table, String newName) {
        Path from = stagingRoot(vault, table);
        if (!Files.exists(from)) {
            return;
        }
        try {
            Files.move(from, stagingRoot(vault, newName));
        } catch (IOException e) {
            LOG.warn("staging folders {} of renamed table '{}' could not be moved: {}", from, newName, e.toString());
        }
    }

    /** Deletes {@code dir} and everything in it; a failure leaves an orphan folder, which is logged. */
    public static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            LOG.warn("artifact folder {} is no longer used but could not be deleted: {}", dir, e.toString());
        }
    }
}
