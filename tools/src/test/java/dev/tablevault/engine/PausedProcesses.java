package dev.tablevault.engine;

import dev.tablevault.api.TableOptions;
import dev.tablevault.api.Vault;
import dev.tablevault.api.VaultOptions;
import dev.tablevault.engine.process.CrashPoints;

import java.nio.file.Path;

/**
 * Test helper for the {@code tv} tests: leaves a paused {@code createTable} in a vault by arming the engine's
 * package-private crash point (this class sits in the engine's package for that reason only).
 */
public final class PausedProcesses {
    private PausedProcesses() {
    }

    /** Starts {@code createTable(table)} as {@code processId}, fails it from outside the engine, and closes. */
    public static void pausedCreateTable(Path vault, String table, String processId) {
        try (Vault v = TableVault.open(vault, VaultOptions.defaults())) {
            pauseCreateTable(v, table, processId);
        }
    }

    /** As {@link #pausedCreateTable(Path, String, String)}, on the vault at {@code location} (a URL or directory). */
    public static void pausedCreateTable(String location, String table, String processId) {
        try (Vault v = TableVault.open(location, VaultOptions.defaults().board(false))) {
            pauseCreateTable(v, table, processId);
        }
    }

    private static void pauseCreateTable(Vault v, String table, String processId) {
        CrashPoints.arm("createTable.locked", CrashPoints.Action.THROW);
        try {
            v.createTable(table, TableOptions.defaults().processId(processId));
            throw new AssertionError("the armed crash point did not fire");
        } catch (CrashPoints.InjectedFailure expected) {
            // the process is now PAUSED, holding its lock
        } finally {
            CrashPoints.disarmAll();
        }
    }

    /**
     * Claims the run of {@code processId} on the shared vault at {@code location} as a resume does before it runs,
     * runs {@code whileClaimed}, and closes (which releases this host, so its run is orphaned).
     */
    public static void claimRun(String location, String processId, Runnable whileClaimed) {
        try (Vault v = TableVault.open(location, VaultOptions.defaults().board(false).restart(false))) {
            ((VaultImpl) v).store().claimRun(processId);
            whileClaimed.run();
        }
    }
}
