package dev.tablevault.tools;

import dev.tablevault.api.ExecuteOptions;
import dev.tablevault.api.Frame;
import dev.tablevault.api.ReadOptions;
import dev.tablevault.api.Vault;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.util.Set;

/** {@code tv execute TABLE}: runs the builders of TEMP_<version> and materializes the instance. */
@Command(name = "execute", description = {"Run the builders of TEMP_<version> and materialize the instance.",
        "With --process-id a failure pauses the process: tv prints how to resume or stop it and exits 3 (resume"
                + " with the same command or 'tv resume PID'); without, it reverts and keeps the partial rows on"
                + " TEMP_<version>. Ctrl-C leaves the process as a crash would (exit 130) and says how to resume or"
                + " stop it."})
final class ExecuteCommand extends VaultCommand {
    @Mixin
    TableParameter table;

    @Mixin
    VersionOption version;

    @Option(names = "--checkpoint-rows", paramLabel = "N", defaultValue = "4096", description = "Commit at least"
            + " every N rows (default: ${DEFAULT-VALUE}).")
    int checkpointRows;

    @Option(names = "--checkpoint-millis", paramLabel = "MS", defaultValue = "1000", description = "and at"
            + " least every MS milliseconds (default: ${DEFAULT-VALUE}).")
    long checkpointMillis;

    @Option(names = "--force", description = "Compute every column, ignoring the origin's results (by default"
            + " builders whose spec, code version and inputs did not change are carried over).")
    boolean force;

    @Mixin
    ProgressOption progress;

    @Mixin
    ProcessIdOption pid;

    @Override
    void execute() {
        // ExecuteOptions refuses these with an IllegalArgumentException, which would exit 1: a usage error instead.
        if (checkpointRows < 1) {
            throw new ParameterException(spec.commandLine(), "--checkpoint-rows must be >= 1, got " + checkpointRows);
        }
        if (checkpointMillis < 1) {
            throw new ParameterException(spec.commandLine(), "--checkpoint-millis must be >= 1, got "
                    + checkpointMillis);
        }
        try (Vault v = openWritable()) {
            String p;
            Set<String> before = pid.processId == null ? Set.copyOf(v.activeProcesses().keySet()) : Set.of();
            try (InterruptReport interrupt = InterruptReport.install(spec.commandLine().getErr(), json(),
                    vaultLocation(), v, table.name, pid.processId, before);
                 Progress bar = Progress.of(progress.show(json()), spec.commandLine().getErr())) {
                p = v.executeInstance(table.name, ExecuteOptions.defaults().version(version.label)
                        .processId(pid.processId).checkpointRows(checkpointRows).checkpointMillis(checkpointMillis)
                        .force(force).listener(bar.listener()));
            }
            // The bar is closed: the result starts on a line of its own.
            String id = v.instances(table.name, version.label, false).stream().reduce((x, y) -> y).orElse("?");
            Frame f = v.dataframe(table.name, ReadOptions.id(id));
            printWrite(p, "executed " + table.name + " version " + version.label + " as " + id + ": "
                    + f.rowCount() + " rows x " + f.columnCount() + " columns", "table", table.name, "version",
                    version.label, "instanceId", id, "rows", f.rowCount(), "columns", f.columnNames());
        }
    }
}
