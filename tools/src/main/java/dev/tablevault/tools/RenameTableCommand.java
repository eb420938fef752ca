package dev.tablevault.tools;

import dev.tablevault.api.Vault;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code tv rename-table OLD NEW}. */
@Command(name = "rename-table", description = "Rename a table.")
final class RenameTableCommand extends VaultCommand {
    @Parameters(index = "0", paramLabel = "OLD")
    String table;

    @Parameters(index = "1", paramLabel = "NEW")
    String newName;

    @Mixin
    ProcessIdOption pid;

    @Override
    void execute() {
        try (Vault v = openWritable()) {
            String p = v.renameTable(table, newName, pid.opOptions());
            printWrite(p, "renamed table " + table + " to " + newName, "table", table, "newName", newName);
        }
    }
}
