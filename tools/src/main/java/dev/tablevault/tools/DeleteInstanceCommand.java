package dev.tablevault.tools;

import dev.tablevault.api.Vault;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code tv delete-instance TABLE ID}. */
@Command(name = "delete-instance", description = "Delete a materialized or temporary instance.")
final class DeleteInstanceCommand extends VaultCommand {
    @Mixin
    TableParameter table;

    @Parameters(index = "1", paramLabel = "ID")
    String instanceId;

    @Mixin
    ProcessIdOption pid;

    @Override
    void execute() {
        try (Vault v = openWritable()) {
            String p = v.deleteInstance(table.name, instanceId, pid.opOptions());
            printWrite(p, "deleted instance " + instanceId + " of " + table.name, "table", table.name,
                    "instanceId", instanceId);
        }
    }
}
