package dev.tablevault.tools;

import dev.tablevault.api.ProcessInfo;
import dev.tablevault.api.Vault;
import picocli.CommandLine.Command;

import java.util.List;

/** {@code tv ps}: processes that have not ended (running, paused, or left by a crash). */
@Command(name = "ps", description = "List active processes (running, paused, or left by a crash).")
final class PsCommand extends VaultCommand {
    @Override
    void execute() {
        try (Vault v = openReadOnly()) {
            List<ProcessInfo> active = List.copyOf(v.activeProcesses().values());
            print(Json.obj("processes", active), active.isEmpty() ? "no active processes" : TextTable.processes(active));
        }
    }
}
