package dev.tablevault.tools;

import dev.tablevault.api.Vault;
import picocli.CommandLine.Command;

import java.util.List;

/** {@code tv tables}: table names, one a line. */
@Command(name = "tables", description = "List the tables.")
final class TablesCommand extends VaultCommand {
    @Override
    void execute() {
        try (Vault v = openReadOnly()) {
            List<String> names = v.tables();
            print(Json.obj("tables", names), String.join("\n", names));
        }
    }
}
