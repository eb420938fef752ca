package dev.tablevault.tools;

import dev.tablevault.api.Vault;
import picocli.CommandLine.Command;

/** {@code tv generate-process-id}: a fresh id for {@code --process-id}. */
@Command(name = "generate-process-id", description = "Print a fresh process id for --process-id.")
final class GenerateProcessIdCommand extends VaultCommand {
    @Override
    void execute() {
        try (Vault v = openReadOnly()) {
            String id = v.generateProcessId();
            print(Json.obj("processId", id), id);
        }
    }
}
