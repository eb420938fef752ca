package dev.tablevault.engine;

import dev.tablevault.engine.store.rocks.NativeLibrary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.RocksDB;
import org.rocksdb.util.Environment;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * RocksDB's native library is extracted once to a cache folder shared by JVMs, not copied into
 * {@code java.io.tmpdir} by each one, where a {@code kill -9} left every copy (17 MB) behind.
 */
class NativeLibraryTest {
    private static final int CHILDREN = 3;

    @TempDir
    Path dir;

    /**
     * Children started together, with their own temp folder and a cache folder holding a truncated library, open
     * a vault and are killed: the temp folder holds no library, the cache exactly one, whole (the truncated one
     * was replaced, and none of the concurrent extractions left a part behind).
     */
    @Test
    void killedJvmsLeaveNoLibraryInTheTempFolderAndShareOneCachedCopy() throws IOException {
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        Path cache = dir.resolve("cache");
        byte[] library;
        try (InputStream in = RocksDB.class.getResourceAsStream("/" + Environment.getJniLibraryFileName("rocksdb"))) {
            library = in.readAllBytes();
        }
        CRC32 crc = new CRC32();
        crc.update(library);
        String name = Environment.getJniLibraryFileName("rocksdbjni");
        Path folder = Files.createDirectories(cache.resolve("rocksdbjni-"
                + HexFormat.of().toHexDigits((int) crc.getValue())));
        Files.write(folder.resolve(name), Arrays.copyOf(library, library.length / 2));
        List<ChildJvm> children = new ArrayList<>();
        try {
            for (int i = 0; i < CHILDREN; i++) {
                children.add(ChildJvm.start(List.of("-Djava.io.tmpdir=" + tmp, "-D" + NativeLibrary.DIR_PROPERTY
                        + "=" + cache), OwnerChild.class, "own", dir.resolve("v" + i).toString()));
            }
            for (ChildJvm c : children) {
                c.awaitLine("READY");
            }
        } finally {
            children.forEach(ChildJvm::kill);
        }
        try (Stream<Path> files = Files.walk(tmp)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("librocksdbjni"));
        }
        try (Stream<Path> files = Files.walk(cache)) {
            assertThat(files.filter(Files::isRegularFile)).containsExactly(folder.resolve(name));
        }
        assertThat(Files.readAllBytes(folder.resolve(name))).isEqualTo(library);
    }
}
