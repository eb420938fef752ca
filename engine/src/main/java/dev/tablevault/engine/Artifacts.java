package dev.tablevault.engine;

import dev.tablevault.api.Column;
import dev.tablevault.api.ColumnType;
import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.TvArgumentException;
import dev.tablevault.api.TvBuilderException;
import dev.tablevault.api.TvStorageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Artifact files. Each instance key owns the folder {@code <vault>/artifacts/<key>}; the folder is published
 * by the commit that makes the instance (and, for a single-artifact table, the table's artifact instance)
 * point at it, so publication is atomic with materialization, and a reverted or unsuccessful instance's
 * files never become the table's. A folder is deleted only after the batch that drops its instance is
 * durable. An external-edit temporary instance has a staging folder {@code <vault>/artifacts/temp/<table>/
 * <TEMP_version>} instead, where the caller puts the files before {@code writeInstance}; that links them into
 * the new instance's folder before its commit, and the staging folder goes once the commit is durable.
 * Stateless.
 */
final class Artifacts {
    private static final Logger LOG = LoggerFactory.getLogger(Artifacts.class);

    private Artifacts() {
    }

    /** What a missing or misplaced artifact is reported as, and where the file should have been put. */
    enum Source {
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

    static Path folder(VaultImpl vault, long key) {
        return vault.dir().resolve("artifacts").resolve(Long.toString(key));
    }

    /** The staging folders of a table's external-edit temporary instances. */
    static Path stagingRoot(VaultImpl vault, String table) {
        return vault.dir().resolve("artifacts").resolve("temp").resolve(table);
    }

    /** The staging folder of external-edit temporary instance {@code tempId}. */
    static Path staging(VaultImpl vault, String table, String tempId) {
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
    static void check(VaultImpl vault, long key, ChunkTable t, List<Path> fallbacks, Source source) {
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
                    place(dir, (String) v, columns.get(c).name(), r, fallbacks, source);
                }
            }
        }
    }

    private static void place(Path dir, String value, String column, long row, List<Path> fallbacks,
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
                    throw new TvStorageException(ErrorCode.IO, "cannot bring artifact " + src + " into " + dir
                            + ": " + e, e);
                }
            }
        }
        throw source.error("column '" + column + "' row " + row + " names artifact '" + value + "', which is not"
                + " in the instance's artifact folder" + (source == Source.WRITE ? "" : " " + dir) + "; write it under "
                + source.folder + " before " + source.before);
    }

    /** Deletes the folder of {@code key}; a failure leaves an orphan folder, which is logged. */
    static void delete(VaultImpl vault, long key) {
        if (key != 0) {
            deleteTree(folder(vault, key));
        }
    }

    /**
     * Moves a table's staging folders to its new name; a failure leaves them under the old name, which is
     * logged.
     */
    static void renameStaging(VaultImpl vault, String table, String newName) {
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
    static void deleteTree(Path dir) {
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
