package dev.tablevault.tools;

import dev.tablevault.api.LockInfo;
import dev.tablevault.api.Vault;
import picocli.CommandLine.Command;

import java.util.List;

/** {@code tv locks}: locks held by active processes. */
@Command(name = "locks", description = "List the locks held by active processes.")
final class LocksCommand extends VaultCommand {
    @Override
    void execute() {
        try (Vault v = openReadOnly()) {
            List<LockInfo> locks = v.locks();
            print(Json.obj("locks", locks), locks.isEmpty() ? "no locks held" : TextTable.locks(locks));
        }
    }
}
