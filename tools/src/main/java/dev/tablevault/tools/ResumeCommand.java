package dev.tablevault.tools;

import dev.tablevault.api.ProcessInfo;
import dev.tablevault.api.Vault;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code tv resume PID}: resumes an active process from its last checkpoint. */
@Command(name = "resume", description = "Resume a paused or crashed process from its last checkpoint.")
final class ResumeCommand extends VaultCommand {
    @Parameters(paramLabel = "PID")
    String target;

    @Override
    String processId() {
        return target;
    }

    @Override
    void execute() {
        try (Vault v = openWritable()) {
            v.resumeProcess(target);
            ProcessInfo info = v.process(target);
            print(Json.obj("processId", target, "state", info.state(), "error", info.error()),
                    "resumed " + target + ": " + info.state() + (info.error() == null ? "" : " (" + info.error() + ")"));
        }
    }
}
