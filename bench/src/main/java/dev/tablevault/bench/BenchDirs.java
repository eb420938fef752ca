package dev.tablevault.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Scratch directories for benchmark databases. They live under {@code -Dbench.dir} when set, else under
 * {@code java.io.tmpdir}, which must be a real disk (not tmpfs) for durable numbers to mean anything.
 */
final class BenchDirs {
    private BenchDirs() {
    }

    static Path create(String prefix) {
        try {
            String base = System.getProperty("bench.dir");
            if (base != null && !base.isBlank()) {
                Path root = Path.of(base);
                Files.createDirectories(root);
                return Files.createTempDirectory(root, prefix);
            }
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteRecursively(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                    if (exc != null) {
                        throw exc;
                    }
                    Files.delete(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            System.err.println("WARNING: could not delete " + dir + ": " + e);
        }
    }
}
