package dev.tablevault.tools;

import dev.tablevault.api.Vault;
import dev.tablevault.engine.TableVault;
import picocli.CommandLine.Command;

/** {@code tv init}: creates an empty vault in a new or empty directory. */
@Command(name = "init", description = "Create an empty vault in a new or empty directory.")
final class InitCommand extends VaultCommand {
    @Override
    void execute() {
        try (Vault ignored = TableVault.open(vaultLocation(), options().create(true))) {
            print(Json.obj("vault", vaultLocation(), "created", true), "created vault " + vaultLocation());
        }
    }
}
