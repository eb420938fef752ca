package dev.tablevault.tools;

import dev.tablevault.api.Vault;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;

/** {@code tv builder ls TABLE}: builder names, one a line. */
@Command(name = "ls", description = "List the builder names of a temporary instance.")
final class BuilderLsCommand extends VaultCommand {
    @Parameters(paramLabel = "TABLE")
    String table;

    @Option(names = "--version", paramLabel = "V", defaultValue = "base", description = "Version label"
            + " (default: ${DEFAULT-VALUE}).")
    String version;

    @Override
    void execute() {
        try (Vault v = openReadOnly()) {
            List<String> names = v.builders(table, version);
            print(Json.obj("table", table, "version", version, "builders", names), String.join("\n", names));
        }
    }
}
