package dev.tablevault.engine;

import dev.tablevault.engine.store.pg.PgCluster;

import java.nio.file.Path;

/**
 * The backends a suite runs on: a test class annotated {@code @ParameterizedClass @EnumSource(TestBackend.class)}
 * with a {@code @Parameter TestBackend backend} field runs every test once per backend, and makes its vaults with
 * {@link #vault}. On PostgreSQL each vault is a fresh schema of the test JVM's {@link PgCluster} (a vault is a whole
 * database to the engine: its URL selects the schema; see {@link PgCluster#schema}); the PostgreSQL half is
 * skipped where PostgreSQL is not installed, unless {@code -Dtv.pg.required=true}.
 */
public enum TestBackend {
    ROCKSDB, POSTGRESQL;

    /**
     * A new place for a vault named {@code name} under {@code tmp}, not yet created: the folder {@code tmp/name} on
     * RocksDB; on PostgreSQL a fresh schema, with {@code tmp/name} for the hosts' local folders and the artifacts.
     */
    public TestVault vault(Path tmp, String name) {
        Path dir = tmp.resolve(name);
        return this == ROCKSDB ? new TestVault(dir, null) : new TestVault(dir, PgCluster.shared().schema(name));
    }
}
