package dev.tablevault.tools;

import dev.tablevault.api.BuilderSpec;
import dev.tablevault.api.Vault;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code tv builder show TABLE NAME}: the spec text as stored. */
@Command(name = "show", description = "Print a builder spec as stored.")
final class BuilderShowCommand extends VaultCommand {
    @Mixin
    TableParameter table;

    @Parameters(index = "1", paramLabel = "NAME")
    String name;

    @Mixin
    VersionOption version;

    @Override
    void execute() {
        try (Vault v = openReadOnly()) {
            BuilderSpec s = v.builder(table.name, version.label, name);
            print(Json.obj("table", table.name, "version", version.label, "builder", name, "format", s.format(),
                    "text", s.text()), s.text().stripTrailing());
        }
    }
}
