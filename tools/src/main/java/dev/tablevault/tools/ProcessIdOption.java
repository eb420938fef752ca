package dev.tablevault.tools;

import picocli.CommandLine.Option;

/** The {@code --process-id} option of every write: a caller-chosen id makes a failed write resumable. */
final class ProcessIdOption {
    @Option(names = "--process-id", paramLabel = "PID",
            description = "Run as this process id (pause on external errors; repeat the command to resume).")
    String processId;
}
