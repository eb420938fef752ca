package dev.tablevault.engine.store.rocks;

import dev.tablevault.api.Durability;
import dev.tablevault.engine.store.Backend;
import dev.tablevault.engine.store.BackendContract;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** {@link RocksBackend} against the {@link BackendContract}: the same assertions as the PostgreSQL backend's. */
final class RocksBackendContractTest extends BackendContract {
    @TempDir
    Path dir;

    @Override
    protected Backend open() {
        return RocksBackend.open(dir.resolve("db"), true, false, Durability.SYNC, 10, "contract test");
    }
}
