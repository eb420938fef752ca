package dev.tablevault.engine;

import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.TvStorageException;
import dev.tablevault.api.Vault;
import dev.tablevault.api.VaultOptions;
import dev.tablevault.engine.remote.OwnerSocket;
import dev.tablevault.engine.remote.RemoteVault;
import dev.tablevault.engine.remote.VaultServer;

import java.nio.file.Path;

/** Where {@link TableVault} meets {@code remote}: the owner starts serving, another process becomes a client. */
final class Sharing {
    private Sharing() {
    }

    /** Serves {@code vault} (just opened read-write) to the vault's other processes until it closes. */
    static void serve(VaultImpl vault) {
        try {
            vault.serve(VaultServer.start(OwnerSocket.of(vault.dir()), vault, TableVault.FORMAT_VERSION,
                    Callers::run));
        } catch (RuntimeException e) {
            vault.close();
            throw e;
        }
    }

    /**
     * A client of the vault at {@code dir}, which another live OS process owns ({@code locked} says which).
     * {@code restart(true)} resumes every active process, which only the owner may do, so it is refused.
     */
    static Vault connect(Path dir, VaultOptions options, TvStorageException locked, RemoteVault.TakeOver takeOver) {
        if (options.restart()) {
            throw new TvStorageException(ErrorCode.VAULT_LOCKED, locked.getMessage() + "; restart(true) resumes every"
                    + " active process and only the owning process can: resume them one at a time with"
                    + " resumeProcess (tv restart does so), or close the owner first", locked);
        }
        return RemoteVault.connect(dir, options, TableVault.FORMAT_VERSION, takeOver);
    }
}
