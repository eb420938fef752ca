package dev.tablevault.tools;

import dev.tablevault.api.TableOptions;
import dev.tablevault.api.Vault;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tv create-table NAME}. */
@Command(name = "create-table", description = "Create a table.")
final class CreateTableCommand extends VaultCommand {
    @Parameters(paramLabel = "NAME", description = "The table name.")
    String name;

    @Option(names = "--side-effects", description = "An execute locks the whole table and deactivates the other"
            + " instances when it materializes.")
    boolean sideEffects;

    @Option(names = "--multiple-artifacts", description = "Each instance keeps its own artifact folder.")
    boolean multipleArtifacts;

    @Mixin
    DescriptionOption description;

    @Mixin
    ProcessIdOption pid;

    @Override
    void execute() {
        try (Vault v = openWritable()) {
            String p = v.createTable(name, TableOptions.defaults().sideEffects(sideEffects)
                    .multipleArtifacts(multipleArtifacts).description(description.text).processId(pid.processId));
            printWrite(p, "created table " + name, "table", name);
        }
    }
}
