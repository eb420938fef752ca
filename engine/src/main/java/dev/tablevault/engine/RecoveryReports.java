package dev.tablevault.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.RecoveryReport;
import dev.tablevault.api.TvStorageException;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;

/** Loss reports in a vault's {@code recovery/} folder, as JSON; written durably before the recovery is made so. */
final class RecoveryReports {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private RecoveryReports() {
    }

    static void write(Path file, RecoveryReport report) {
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, JSON.writeValueAsBytes(report));
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            try (FileChannel dir = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
                dir.force(true);
            }
        } catch (IOException e) {
            throw new TvStorageException(ErrorCode.IO, "cannot write the loss report " + file + ": " + e, e);
        }
    }

    /** The reports in {@code vault}'s recovery folder, oldest first, as paths relative to the vault. */
    static List<String> list(Path vault) {
        Path dir = vault.resolve("recovery");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(f -> "recovery/" + f.getFileName()).filter(n -> n.endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new TvStorageException(ErrorCode.IO, "cannot list " + dir + ": " + e, e);
        }
    }
}
