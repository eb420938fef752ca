package dev.tablevault.tools;

import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.ProcessInfo;
import dev.tablevault.api.ProcessState;
import dev.tablevault.api.TableVaultException;
import dev.tablevault.api.Vault;

import java.util.Map;

/**
 * Reports a command whose process an error left paused: that it paused, the process id, the cause, and the
 * commands that resume or stop it, exiting {@link Errors#PAUSED}. One line {@code tv: PAUSED: ...} (with
 * {@code --json}: one object), like every error.
 */
final class Paused {
    private Paused() {
    }

    /**
     * If {@code e} is an error the engine pauses a named process on (one from outside the engine, a full disk, a
     * builder's missing code) and {@code command}'s process is now paused, reports it and returns
     * {@link Errors#PAUSED}; else null. Engine errors otherwise revert, so they are reported as themselves.
     */
    static Integer report(VaultCommand command, Exception e) {
        String pid = command.processId();
        String vault = command.vaultOrNull();
        if (pid == null || vault == null || !pauses(e)) {
            return null;
        }
        ProcessInfo info;
        try (Vault v = command.openReadOnly()) {
            info = v.activeProcesses().get(pid);
        } catch (TableVaultException unreadable) {
            // Whether it paused is unknown: the caller reports e itself, with the error's own code.
            return null;
        }
        if (info == null || info.state() != ProcessState.PAUSED) {
            return null;
        }
        String cause = info.error() != null ? info.error() : String.valueOf(e);
        String resume = CliHints.resume(vault, pid);
        String stop = CliHints.stop(vault, pid);
        Errors.print(command.spec.commandLine().getErr(), command.json(), "PAUSED", Errors.PAUSED, "process " + pid
                + " (" + info.operation() + ") paused, keeping its locks and committed work: " + cause
                + "; resume: " + resume + " (or run this command again); stop: " + stop
                + " (--materialize keeps the partial result)", Map.of("processId", pid, "state", info.state(),
                "cause", cause, "resume", resume, "stop", stop));
        return Errors.PAUSED;
    }

    private static boolean pauses(Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof TableVaultException tv) {
                return tv.code() == ErrorCode.DISK_FULL || tv.code() == ErrorCode.BUILDER_NOT_FOUND;
            }
        }
        return true;
    }
}
