package dev.tablevault.engine.process;

import dev.tablevault.api.Vault;
import dev.tablevault.api.VaultOptions;
import dev.tablevault.engine.board.Board;
import dev.tablevault.engine.lock.LockTable;
import dev.tablevault.engine.store.Backend;

import java.nio.file.Path;
import java.time.Clock;

/**
 * The open vault as the process runner and the operations see it: its store, locks, runner and settings. The
 * front ({@code VaultImpl}) implements it; this narrow view is what lets the runner and the operations sit in
 * packages below the front without an import back up. Thread safe.
 */
public interface OpenVault {
    Backend store();

    LockTable lockManager();

    Processes processes();

    VaultOptions options();

    Clock clock();

    /** This JVM's part of the live board ({@link Board#off()} when there is none). */
    Board board();

    /** The author recorded in process records. */
    String author();

    /** A fresh instance key, never used before in this vault. */
    long nextInstanceKey();

    /** The vault directory; for a vault shared by hosts, this host's local folder for it. */
    Path dir();

    /** The folder whose {@code artifacts/} holds the artifact folders (the vault directory, or the artifact root). */
    Path artifactHome();

    /**
     * Throws {@code BAD_ARGUMENT} naming {@code what} (an ARTIFACT column, a builder's artifact folder) when the vault
     * is shared by hosts and was opened without an artifact root.
     */
    void requireArtifactRoot(String what);

    /** Throws READ_ONLY when the vault was opened read-only. */
    void checkWritable();

    /** The monitor deletions hold while they decide which cell keys no instance uses any more. */
    Object cellKeys();

    /**
     * This vault as a builder of process {@code parent} sees it: every write runs as a sub-process of
     * {@code parent} and shares its locks; reads are the vault's; {@code close} does nothing (the vault stays
     * the application's). Valid while {@code parent} runs.
     */
    Vault childView(String parent);
}
