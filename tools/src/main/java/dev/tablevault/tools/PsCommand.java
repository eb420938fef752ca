package dev.tablevault.tools;

import dev.tablevault.api.ProcessInfo;
import dev.tablevault.api.Vault;
import picocli.CommandLine.Command;

import java.util.List;

/**
 * {@code tv ps}: processes that have not ended (running, paused, or left by a crash: CRASHED), then how to
 * resume or stop each paused or crashed one.
 */
@Command(name = "ps", description = "List active processes (running, paused, or left by a crash).")
final class PsCommand extends VaultCommand {
    @Override
    void execute() {
        try (Vault v = openReadOnly()) {
            List<ProcessInfo> active = List.copyOf(v.activeProcesses().values());
            print(Json.obj("processes", active), active.isEmpty() ? "no active processes"
                    : TextTable.processes(active) + waiting(active));
        }
    }

    /** For each crashed or paused process, the commands that resume or stop it (it keeps its locks until then). */
    private String waiting(List<ProcessInfo> active) {
        StringBuilder sb = new StringBuilder();
        for (ProcessInfo p : active) {
            String why = switch (p.status()) {
                case CRASHED -> " crashed (its runner, OS process " + p.runnerPid() + ", is gone)";
                case PAUSED -> " is paused";
                default -> null;
            };
            if (why != null) {
                String tv = "tv --vault " + vaultDir() + " ";
                sb.append('\n').append(p.id()).append(why).append(": resume it with ").append(tv).append("resume ")
                        .append(p.id()).append(", or stop it with ").append(tv).append("stop ").append(p.id())
                        .append(" [--materialize]");
            }
        }
        return sb.toString();
    }
}
