package dev.tablevault.tools;

import dev.tablevault.api.InstanceOptions;
import dev.tablevault.api.Vault;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code tv create-instance TABLE}: creates the temporary instance {@code TEMP_<version>}. */
@Command(name = "create-instance", description = "Create the temporary instance TEMP_<version> of a table.")
final class CreateInstanceCommand extends VaultCommand {
    @Mixin
    TableParameter table;

    @Mixin
    VersionOption version;

    @Option(names = "--origin-id", paramLabel = "ID", description = "The materialized instance to start from.")
    String originId;

    @Option(names = "--origin-table", paramLabel = "T", description = "The table of --origin-id (default: TABLE).")
    String originTable;

    @Option(names = "--external-edit", description = "Filled by 'tv write' instead of builders.")
    boolean externalEdit;

    @Option(names = "--copy", description = "Without --origin-id: start from the latest materialized instance.")
    boolean copy;

    @Mixin
    DescriptionOption description;

    @Mixin
    ProcessIdOption pid;

    @Override
    void execute() {
        try (Vault v = openWritable()) {
            String p = v.createInstance(table.name, InstanceOptions.defaults().version(version.label)
                    .originId(originId).originTable(originTable).externalEdit(externalEdit).copy(copy)
                    .description(description.text).processId(pid.processId));
            String id = version.tempInstanceId();
            printWrite(p, "created instance " + id + " of " + table.name, "table", table.name, "instanceId", id);
        }
    }
}
