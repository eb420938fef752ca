package dev.tablevault.tools;

import dev.tablevault.api.ProcessInfo;
import dev.tablevault.api.Vault;
import dev.tablevault.engine.TableVault;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code tv resume PID}: resumes an active process from its last checkpoint. */
@Command(name = "resume", description = {"Resume a paused or crashed process from its last checkpoint.",
        "If it pauses again, tv says so and exits 3."})
final class ResumeCommand extends VaultCommand {
    @Parameters(paramLabel = "PID")
    String target;

    @Mixin
    ProgressOption progress;

    @Override
    String processId() {
        return target;
    }

    @Override
    void execute() {
        try (Progress bar = Progress.of(progress.show(json()), spec.commandLine().getErr());
             Vault v = TableVault.open(vaultLocation(), options().listener(bar.listener()))) {
            v.resumeProcess(target);
            bar.close();                                    // the result starts on a line of its own
            ProcessInfo info = v.process(target);
            print(Json.obj("processId", target, "state", info.state(), "error", info.error()),
                    "resumed " + target + ": " + info.state() + (info.error() == null ? "" : " (" + info.error() + ")"));
        }
    }
}
