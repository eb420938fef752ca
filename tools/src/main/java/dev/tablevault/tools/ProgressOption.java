package dev.tablevault.tools;

import picocli.CommandLine.Option;

/** The {@code --[no-]progress} option of the commands that execute builders: execute, resume, restart. */
final class ProgressOption {
    @Option(names = "--progress", negatable = true, description = "Show a progress bar on stderr (default: when"
            + " stderr is a terminal and --json is not given).")
    Boolean progress;

    /** Whether to show the bar: as asked, else when there is a terminal and the output is not JSON. */
    boolean show(boolean json) {
        return progress != null ? progress : !json && System.console() != null;
    }
}
