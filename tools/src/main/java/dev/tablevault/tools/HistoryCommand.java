package dev.tablevault.tools;

import dev.tablevault.api.ProcessInfo;
import dev.tablevault.api.Vault;
import dev.tablevault.api.VaultStats;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.List;

/**
 * {@code tv history}: finished processes, newest first; when the list reaches the oldest one kept and the owner
 * trimmed older ones, a last line says how many and when the newest of them ended.
 */
@Command(name = "history", description = "List finished processes, newest first.")
final class HistoryCommand extends VaultCommand {
    @Option(names = "--limit", paramLabel = "N", defaultValue = "20", description = "At most N (default: ${DEFAULT-VALUE}).")
    int limit;

    @Override
    void execute() {
        try (Vault v = openReadOnly()) {
            List<ProcessInfo> done = v.processHistory(limit);
            String text = done.isEmpty() ? "no finished processes" : TextTable.processes(done);
            VaultStats s = done.size() < limit ? v.stats() : null; // the list reached the oldest kept process
            if (s != null && s.trimmedProcesses() > 0) {
                text += "\n" + s.trimmedProcesses() + " older finished processes were trimmed, the newest of them ended "
                        + s.trimmedBefore() + (s.retention() == null ? "" : " (retention: " + s.retention() + ")");
            }
            print(Json.obj("processes", done, "trimmedProcesses", s == null ? null : s.trimmedProcesses(),
                    "trimmedBefore", s == null ? null : s.trimmedBefore()), text);
        }
    }
}
