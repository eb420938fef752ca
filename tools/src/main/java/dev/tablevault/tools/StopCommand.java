package dev.tablevault.tools;

import dev.tablevault.api.StopOptions;
import dev.tablevault.api.Vault;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tv stop PID}: reverts a paused process, or materializes its partial result. */
@Command(name = "stop", description = "Revert a paused process, or keep its partial result with --materialize.")
final class StopCommand extends VaultCommand {
    @Parameters(paramLabel = "PID", description = "The process to stop.")
    String target;

    @Option(names = "--materialize", description = "Keep the partial result of a write or execute as an active,"
            + " unsuccessful instance.")
    boolean materialize;

    @Option(names = "--force", description = "Stop a process whose recorded owner is another live OS process.")
    boolean force;

    @Mixin
    ProcessIdOption pid;

    @Override
    void execute() {
        try (Vault v = openWritable()) {
            String p = v.stopProcess(target, StopOptions.defaults().materialize(materialize).force(force)
                    .processId(pid.processId));
            var state = v.process(target).state();
            print(Json.obj("processId", target, "state", state, "stopProcessId", p),
                    "stopped " + target + ": " + state + " (process " + p + ")");
        }
    }
}
