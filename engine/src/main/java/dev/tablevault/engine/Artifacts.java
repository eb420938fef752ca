package dev.tablevault.engine;

import dev.tablevault.api.Column;
import dev.tablevault.api.ColumnType;
import dev.tablevault.api.ErrorCode;
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
 * durable. Stateless.
 */
final class Artifacts {
    private static final Logger LOG = LoggerFactory.getLogger(Artifacts.class);

    private Artifacts() {
    }

    static Path folder(VaultImpl vault, long key) {
        return vault.dir().resolve("artifacts").resolve(Long.toString(key));
    }

    /**
     * Checks that every value of the ARTIFACT columns of {@code t} names a file under the folder of {@code key}; a file
     * found instead in one of {@code fallbacks} (the origin's, the table's current artifact instance's) is
     * linked (or copied) in, as values carried over from an origin refer to its files.
     *
     * @throws TvBuilderException naming column, row and path for a missing file or a path leaving the folder
     */
    static void check(VaultImpl vault, long key, ChunkTable t, List<Long> fallbacks) {
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
                    place(vault, dir, (String) v, columns.get(c).name(), r, fallbacks);
                }
            }
        }
    }

    private static void place(VaultImpl vault, Path dir, String value, String column, long row, List<Long> fallbacks) {
        Path rel = Path.of(value).normalize();
        if (value.isEmpty() || rel.isAbsolute() || rel.startsWith("..")) {
            throw new TvBuilderException(ErrorCode.BAD_BUILDER, "column '" + column + "' row " + row + " names"
                    + " artifact '" + value + "'; artifact paths are relative to the instance's artifact folder"
                    + " (BuildContext.artifactFolder()) and stay inside it");
        }
        Path target = dir.resolve(rel);
        if (Files.isRegularFile(target)) {
            return;
        }
        for (long k : fallbacks) {
            Path src = folder(vault, k).resolve(rel);
            if (k != 0 && Files.isRegularFile(src)) {
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
        throw new TvBuilderException(ErrorCode.BAD_BUILDER, "column '" + column + "' row " + row + " names"
                + " artifact '" + value + "', which is not in the instance's artifact folder " + dir
                + "; write it under BuildContext.artifactFolder() before returning its path");
    }

    /** Deletes the folder of {@code key}; a failure leaves an orphan folder, which is logged. */
    static void delete(VaultImpl vault, long key) {
        Path dir = folder(vault, key);
        if (key == 0 || !Files.exists(dir)) {
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
