package dev.tablevault.tools;

import dev.tablevault.api.OpOptions;
import picocli.CommandLine.Option;

/** The {@code --process-id} option of every write: a caller-chosen id makes a failed write resumable. */
final class ProcessIdOption {
    @Option(names = "--process-id", paramLabel = "PID",
            description = "Run as this process id (pause on external errors; repeat the command to resume).")
    String processId;

    /** Options of a write that takes nothing but the process id. */
    OpOptions opOptions() {
        return OpOptions.defaults().processId(processId);
    }
}
