package dev.tablevault.tools;

import dev.tablevault.api.Vault;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.List;

/** {@code tv instances TABLE}: materialized instance ids, oldest first, then temporary ones with --temp. */
@Command(name = "instances", description = "List the instances of a table, oldest first.")
final class InstancesCommand extends VaultCommand {
    @Mixin
    TableParameter table;

    @Option(names = "--version", paramLabel = "V", description = "Only this version.")
    String version;

    @Option(names = "--temp", description = "Include temporary instances.")
    boolean temp;

    @Override
    void execute() {
        try (Vault v = openReadOnly()) {
            List<String> ids = v.instances(table.name, version, temp);
            print(Json.obj("table", table.name, "instances", ids), String.join("\n", ids));
        }
    }
}
