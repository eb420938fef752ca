package dev.tablevault.tools;

import dev.tablevault.api.Vault;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.List;

/** {@code tv builder ls TABLE}: builder names, one a line. */
@Command(name = "ls", description = "List the builder names of a temporary instance.")
final class BuilderLsCommand extends VaultCommand {
    @Mixin
    TableParameter table;

    @Mixin
    VersionOption version;

    @Override
    void execute() {
        try (Vault v = openReadOnly()) {
            List<String> names = v.builders(table.name, version.label);
            print(Json.obj("table", table.name, "version", version.label, "builders", names),
                    String.join("\n", names));
        }
    }
}
