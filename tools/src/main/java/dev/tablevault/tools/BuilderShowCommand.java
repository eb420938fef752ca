package dev.tablevault.tools;

import dev.tablevault.api.BuilderSpec;
import dev.tablevault.api.Vault;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tv builder show TABLE NAME}: the spec text as stored. */
@Command(name = "show", description = "Print a builder spec as stored.")
final class BuilderShowCommand extends VaultCommand {
    @Parameters(index = "0", paramLabel = "TABLE")
    String table;

    @Parameters(index = "1", paramLabel = "NAME")
    String name;

    @Option(names = "--version", paramLabel = "V", defaultValue = "base", description = "Version label"
            + " (default: ${DEFAULT-VALUE}).")
    String version;

    @Override
    void execute() {
        try (Vault v = openReadOnly()) {
            BuilderSpec s = v.builder(table, version, name);
            print(Json.obj("table", table, "version", version, "builder", name, "format", s.format(),
                    "text", s.text()), s.text().stripTrailing());
        }
    }
}
