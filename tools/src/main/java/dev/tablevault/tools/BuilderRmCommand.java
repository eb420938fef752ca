package dev.tablevault.tools;

import dev.tablevault.api.Vault;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code tv builder rm TABLE NAME}. */
@Command(name = "rm", description = "Delete a builder spec.")
final class BuilderRmCommand extends VaultCommand {
    @Mixin
    TableParameter table;

    @Parameters(index = "1", paramLabel = "NAME")
    String name;

    @Mixin
    VersionOption version;

    @Mixin
    ProcessIdOption pid;

    @Override
    void execute() {
        try (Vault v = openWritable()) {
            String p = v.deleteBuilder(table.name, version.label, name, pid.opOptions());
            printWrite(p, "deleted builder " + name + " from " + version.tempInstanceId() + " of " + table.name,
                    "table", table.name, "version", version.label, "builder", name);
        }
    }
}
