package dev.tablevault.bench;

import dev.tablevault.api.Durability;
import dev.tablevault.api.OpOptions;
import dev.tablevault.api.TableOptions;
import dev.tablevault.api.Vault;
import dev.tablevault.api.VaultOptions;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * TableVault: one operation is {@code createTable} or {@code deleteTable}, alternating per worker, so
 * operations {@code 2k} and {@code 2k+1} of a worker create and delete the table {@code t<worker>_<k>}.
 * Every one is a durable process (BEGIN, locks, change, commit) in a fresh vault.
 */
final class OursTarget implements Target {
    private static final TableOptions TABLE = TableOptions.defaults();
    private static final OpOptions OP = OpOptions.defaults();
    /** {@code -Dbench.keep=N}: the vaults' retention of finished processes (default: the engine's). */
    static final int KEEP_FINISHED = Integer.getInteger("bench.keep", VaultOptions.DEFAULT_KEEP_FINISHED);

    private final String label;
    private final Path dir;
    private final Vault vault;
    private final AtomicLongArray next = new AtomicLongArray(MAX_THREADS);

    private final String location;

    OursTarget(Durability durability, String label) {
        this(BenchBackend.ROCKS, durability, label);
    }

    /** A fresh vault on {@code backend}: a directory, or a new database of the throw-away PostgreSQL server. */
    OursTarget(BenchBackend backend, Durability durability, String label) {
        this.label = label;
        this.dir = BenchDirs.create("tv-bench-ours-");
        Vault v = null;
        try {
            this.location = backend.newLocation(dir);
            v = backend.open(location, dir, VaultOptions.defaults().author("bench").create(true)
                    .durability(durability).keepFinishedProcesses(KEEP_FINISHED));
        } finally {
            if (v == null) {
                BenchDirs.deleteRecursively(dir);
            }
        }
        this.vault = v;
    }

    /** The vault's directory or JDBC URL. */
    String location() {
        return location;
    }

    @Override
    public String label() {
        return label;
    }

    @Override
    public void op(int thread) {
        long seq = next.getAndIncrement(thread);
        String name = "t" + thread + "_" + (seq >>> 1);
        if ((seq & 1) == 0) {
            vault.createTable(name, TABLE);
        } else {
            vault.deleteTable(name, OP);
        }
    }

    Vault vault() {
        return vault;
    }

    @Override
    public void close() {
        try {
            vault.close();
        } finally {
            BenchDirs.deleteRecursively(dir);
        }
    }
}
