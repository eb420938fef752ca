package dev.tablevault.tools;

import dev.tablevault.api.OpOptions;
import dev.tablevault.api.Vault;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tv builder rm TABLE NAME}. */
@Command(name = "rm", description = "Delete a builder spec.")
final class BuilderRmCommand extends VaultCommand {
    @Parameters(index = "0", paramLabel = "TABLE")
    String table;

    @Parameters(index = "1", paramLabel = "NAME")
    String name;

    @Option(names = "--version", paramLabel = "V", defaultValue = "base", description = "Version label"
            + " (default: ${DEFAULT-VALUE}).")
    String version;

    @Mixin
    ProcessIdOption pid;

    @Override
    void execute() {
        try (Vault v = openWritable()) {
            String p = v.deleteBuilder(table, version, name, OpOptions.defaults().processId(pid.processId));
            print(Json.obj("table", table, "version", version, "builder", name, "processId", p),
                    "deleted builder " + name + " from TEMP_" + version + " of " + table + " (process " + p + ")");
        }
    }
}
