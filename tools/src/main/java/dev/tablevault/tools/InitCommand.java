package dev.tablevault.tools;

import dev.tablevault.api.Vault;
import dev.tablevault.engine.TableVault;
import picocli.CommandLine.Command;

/** {@code tv init}: creates an empty vault in a new or empty directory. */
@Command(name = "init", description = "Create an empty vault in a new or empty directory.")
final class InitCommand extends VaultCommand {
    @Override
    void execute() {
        try (Vault ignored = TableVault.open(vaultDir(), options().create(true))) {
            print(Json.obj("vault", vaultDir().toString(), "created", true), "created vault " + vaultDir());
        }
    }
}
