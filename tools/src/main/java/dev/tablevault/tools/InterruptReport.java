package dev.tablevault.tools;

import dev.tablevault.api.ProcessInfo;
import dev.tablevault.api.TableVaultException;
import dev.tablevault.api.Vault;

import java.io.PrintWriter;
import java.util.Map;
import java.util.Set;

/**
 * Ctrl-C (SIGINT) during {@code tv execute}: a JVM shutdown hook that says, on stderr, what the execution is left
 * as and how to resume or stop it. The JVM then exits {@link Errors#INTERRUPTED}. Nothing is paused: the process
 * stays as a crash leaves it (active, its locks held, its rows committed up to the last checkpoint).
 */
final class InterruptReport implements AutoCloseable {
    private final Thread hook;

    private InterruptReport(Thread hook) {
        this.hook = hook;
    }

    /**
     * Installs the hook for an execution of {@code table} on the open vault {@code v}, as process {@code pid}, or
     * when null as the engine's generated id: the executeInstance process not among {@code activeBefore}.
     */
    static InterruptReport install(PrintWriter err, boolean json, String vault, Vault v, String table, String pid,
                                   Set<String> activeBefore) {
        Thread hook = new Thread(() -> report(err, json, vault, v, table, pid, activeBefore), "tv-interrupt");
        Runtime.getRuntime().addShutdownHook(hook);
        return new InterruptReport(hook);
    }

    private static void report(PrintWriter err, boolean json, String vault, Vault v, String table, String pid,
                               Set<String> activeBefore) {
        err.println();                                  // end a progress bar's line
        String message;
        Map<String, Object> extra = Json.obj("table", table);
        try {
            Map<String, ProcessInfo> active = v.activeProcesses();
            String id = pid != null ? pid : active.values().stream()
                    .filter(p -> p.operation().equals("executeInstance") && !activeBefore.contains(p.id()))
                    .map(ProcessInfo::id).findFirst().orElse(null);
            ProcessInfo info = id == null ? null : active.get(id);
            if (info != null) {
                extra.putAll(Json.obj("processId", id, "state", info.state(), "resume", CliHints.resume(vault, id),
                        "stop", CliHints.stop(vault, id)));
                message = "interrupted: process " + id + " (execute of " + table + ") is left " + info.state()
                        + "; once tv has exited, tv ps shows it CRASHED, as after a crash, with its locks and the rows of its"
                        + " last checkpoint; resume: "
                        + CliHints.resume(vault, id) + " (or tv --vault " + CliHints.quote(vault) + " restart); stop: "
                        + CliHints.stop(vault, id) + " [--materialize]";
            } else if (id != null) {
                message = "interrupted after process " + id + " ended: " + v.process(id).state();
            } else {
                message = "interrupted before the execution of " + table + " started: nothing changed";
            }
        } catch (TableVaultException e) {
            message = "interrupted; the state of the execution could not be read (" + e.getMessage() + "): see tv"
                    + " --vault " + CliHints.quote(vault) + " ps";
        }
        Errors.print(err, json, "INTERRUPTED", Errors.INTERRUPTED, message, extra);
    }

    /** Removes the hook once the execution has returned or thrown. */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // The JVM is exiting (Ctrl-C): the hook runs or ran, which is what it is for.
        }
    }
}
