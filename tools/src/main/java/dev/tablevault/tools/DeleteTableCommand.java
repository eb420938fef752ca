package dev.tablevault.tools;

import dev.tablevault.api.Vault;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code tv delete-table NAME}. */
@Command(name = "delete-table", description = "Delete a table with all its instances.")
final class DeleteTableCommand extends VaultCommand {
    @Parameters(paramLabel = "NAME")
    String table;

    @Mixin
    ProcessIdOption pid;

    @Override
    void execute() {
        try (Vault v = openWritable()) {
            String p = v.deleteTable(table, pid.opOptions());
            printWrite(p, "deleted table " + table, "table", table);
        }
    }
}
