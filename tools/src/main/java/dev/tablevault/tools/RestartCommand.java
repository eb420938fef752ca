package dev.tablevault.tools;

import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.ProcessInfo;
import dev.tablevault.api.ProcessStatus;
import dev.tablevault.api.TvStorageException;
import dev.tablevault.api.Vault;
import dev.tablevault.engine.TableVault;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code tv restart}: opens with {@code restart(true)} and reports the processes still active. While another OS
 * process owns the vault (which only the owner may restart), it resumes through the owner, one by one, each
 * process that is paused or whose runner is gone, and leaves the ones running alone.
 */
@Command(name = "restart", description = "Resume every active process (after a crash); report what is left.")
final class RestartCommand extends VaultCommand {
    @Mixin
    ProgressOption progress;

    @Override
    void execute() {
        try (Progress bar = Progress.of(progress.show(json()), spec.commandLine().getErr())) {
            Vault v;
            List<String> failures;
            try {
                v = TableVault.open(vaultLocation(), options().restart(true).listener(bar.listener()));
                failures = TableVault.restartFailures(v);
            } catch (TvStorageException e) {
                if (e.code() != ErrorCode.VAULT_LOCKED) {
                    throw e;
                }
                v = TableVault.open(vaultLocation(), options().listener(bar.listener()));
                failures = throughOwner(v);
            }
            try (Vault open = v) {
                bar.close();                                // the report starts on a line of its own
                report(open, failures);
            }
        }
    }

    /** What restart(true) would do, through the owner: resume every process not running now. */
    private static List<String> throughOwner(Vault v) {
        List<String> failures = new ArrayList<>();
        for (ProcessInfo p : v.activeProcesses().values()) {
            if (p.parentId() == null && (p.status() == ProcessStatus.PAUSED || p.status() == ProcessStatus.CRASHED)) {
                try {
                    v.resumeProcess(p.id());
                } catch (RuntimeException e) {
                    failures.add(p.id() + ": " + e.getMessage());
                }
            }
        }
        return failures;
    }

    private void report(Vault v, List<String> failures) {
        List<ProcessInfo> left = List.copyOf(v.activeProcesses().values());
        StringBuilder text = new StringBuilder("restart done: " + left.size() + " active process(es) left");
        failures.forEach(f -> text.append("\n  failed: ").append(f));
        if (!left.isEmpty()) {
            text.append('\n').append(TextTable.processes(left)).append("\nfor each: ")
                    .append(CliHints.resumeOrStop(vaultLocation(), "PID"));
        }
        print(Json.obj("active", left, "failures", failures), text.toString());
    }
}
