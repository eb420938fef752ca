package dev.tablevault.tools;

import dev.tablevault.api.LogEntryInfo;
import dev.tablevault.api.Vault;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.List;

/** {@code tv log PID}: the decoded write-ahead log of one process. */
@Command(name = "log", description = "Print the write-ahead log of a process, active or finished.")
final class LogCommand extends VaultCommand {
    @Parameters(paramLabel = "PID")
    String target;

    @Override
    void execute() {
        try (Vault v = openReadOnly()) {
            List<LogEntryInfo> log = v.processLog(target);
            StringBuilder text = new StringBuilder();
            for (LogEntryInfo e : log) {
                text.append(String.format("%4d %-10s %-16s %s %s%n", e.seq(), e.kind(), e.step(), e.time(),
                        e.detail() == null ? "" : e.detail()));
            }
            print(Json.obj("processId", target, "entries", log), text.toString().stripTrailing());
        }
    }
}
