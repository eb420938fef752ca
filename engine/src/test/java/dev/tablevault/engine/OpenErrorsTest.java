package dev.tablevault.engine;

import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.TableOptions;
import dev.tablevault.api.TableVaultException;
import dev.tablevault.api.Vault;
import dev.tablevault.api.VaultOptions;
import dev.tablevault.engine.store.rocks.StoreHooks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A damaged vault is CORRUPTION, told by RocksDB's status and the files themselves: a flipped byte in a small
 * table file once made open fail with VAULT_LOCKED naming a long-dead owner (the message "block checksum"
 * contains "lock"), and a damaged MANIFEST or CURRENT gave IO.
 */
class OpenErrorsTest {
    /** A pid no process has: larger than Linux's pid_max limit. */
    private static final String DEAD_OWNER = "4194305 SYNC\n";

    @TempDir
    Path dir;

    private Path smallVault() throws Exception {
        Path vault = dir.resolve("v");
        try (Vault v = TableVault.open(vault, VaultOptions.defaults().create(true))) {
            for (int i = 0; i < 5; i++) {
                v.createTable("t" + i, TableOptions.defaults());
            }
            StoreHooks.compact(((VaultImpl) v).store());
        }
        Files.writeString(vault.resolve("owner"), DEAD_OWNER);
        return vault;
    }

    /** Every 7th byte of the small metadata table file in turn: open or the first read says CORRUPTION. */
    @Test
    void aFlippedByteInASmallTableFileIsCorruptionNeverVaultLocked() throws Exception {
        Path vault = smallVault();
        Path sst;
        try (Stream<Path> s = Files.list(vault.resolve("db"))) {
            sst = s.filter(f -> f.toString().endsWith(".sst")).max((a, b) -> Long.compare(a.toFile().length(),
                    b.toFile().length())).orElseThrow();
        }
        byte[] original = Files.readAllBytes(sst);
        int loud = 0;
        for (int at = 0; at < original.length; at += 7) {
            byte[] damaged = original.clone();
            damaged[at] ^= 0x5a;
            Files.write(sst, damaged);
            Files.deleteIfExists(vault.resolve("db/tablevault.loss"));
            ErrorCode code = openAndRead(vault);
            assertThat(code).as("byte %d of %d", at, original.length).isIn(null, ErrorCode.CORRUPTION);
            loud += code == null ? 0 : 1;
        }
        Files.write(sst, original);
        assertThat(loud).as("flips reported").isPositive();
        assertThat(openAndRead(vault)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"garbage", "MANIFEST-999999\n", "", "MANIFEST-00000"})
    void aDamagedCurrentIsCorruption(String current) throws Exception {
        Path vault = smallVault();
        Files.writeString(vault.resolve("db/CURRENT"), current);
        assertThat(openAndRead(vault)).isEqualTo(ErrorCode.CORRUPTION);
    }

    @Test
    void aDamagedManifestIsCorruption() throws Exception {
        Path vault = smallVault();
        Path manifest;
        try (Stream<Path> s = Files.list(vault.resolve("db"))) {
            manifest = s.filter(f -> f.getFileName().toString().startsWith("MANIFEST-")).findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(manifest);
        for (int i = 20; i < 28; i++) {
            bytes[i] ^= 0x5a;
        }
        Files.write(manifest, bytes);
        assertThat(openAndRead(vault)).isEqualTo(ErrorCode.CORRUPTION);
    }

    /** Null when the vault opened and read back every table and verify is clean; else the error's code. */
    private static ErrorCode openAndRead(Path vault) throws IOException {
        try (Vault v = TableVault.open(vault, VaultOptions.defaults())) {
            if (!v.verify().ok()) {
                return ErrorCode.CORRUPTION;
            }
            for (int i = 0; i < 5; i++) {
                v.description("t" + i);
            }
            return v.tables().size() == 5 ? null : ErrorCode.BAD_ARGUMENT;
        } catch (TableVaultException e) {
            return e.code();
        }
    }
}
