package dev.tablevault.tools;

import dev.tablevault.api.ProcessInfo;
import dev.tablevault.api.Vault;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.List;

/** {@code tv history}: finished processes, newest first. */
@Command(name = "history", description = "List finished processes, newest first.")
final class HistoryCommand extends VaultCommand {
    @Option(names = "--limit", paramLabel = "N", defaultValue = "20", description = "At most N (default: ${DEFAULT-VALUE}).")
    int limit;

    @Override
    void execute() {
        try (Vault v = openReadOnly()) {
            List<ProcessInfo> done = v.processHistory(limit);
            print(Json.obj("processes", done), done.isEmpty() ? "no finished processes" : TextTable.processes(done));
        }
    }
}
