package dev.tablevault.tools;

import dev.tablevault.api.ProcessInfo;
import dev.tablevault.api.Vault;
import dev.tablevault.engine.TableVault;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.List;

/** {@code tv restart}: opens with {@code restart(true)} and reports the processes still active. */
@Command(name = "restart", description = "Resume every active process (after a crash); report what is left.")
final class RestartCommand extends VaultCommand {
    @Mixin
    ProgressOption progress;

    @Override
    void execute() {
        try (Progress bar = Progress.of(progress.show(json()), spec.commandLine().getErr());
             Vault v = TableVault.open(vaultDir(), options().restart(true).listener(bar.listener()))) {
            bar.close();                                    // the report starts on a line of its own
            List<String> failures = TableVault.restartFailures(v);
            List<ProcessInfo> left = List.copyOf(v.activeProcesses().values());
            StringBuilder text = new StringBuilder("restart done: " + left.size() + " active process(es) left");
            failures.forEach(f -> text.append("\n  failed: ").append(f));
            if (!left.isEmpty()) {
                text.append('\n').append(TextTable.processes(left)).append("\nfor each: ")
                        .append(CliHints.resumeOrStop(vaultDir(), "PID"));
            }
            print(Json.obj("active", left, "failures", failures), text.toString());
        }
    }
}
