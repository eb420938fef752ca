package dev.tablevault.tools;

import dev.tablevault.api.Frame;
import dev.tablevault.api.Vault;
import dev.tablevault.api.WriteOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;

/** {@code tv write TABLE --csv FILE}: fills the external-edit instance from a CSV file and materializes it. */
@Command(name = "write", description = {"Write a CSV file into the external-edit instance TEMP_<version> and"
        + " materialize it.", "Header cells are NAME or NAME:TYPE (TYPE: long, double, boolean, string, bytes,"
        + " timestamp, duration, artifact; default string). An empty cell is null."})
final class WriteCommand extends VaultCommand {
    @Parameters(paramLabel = "TABLE")
    String table;

    @Option(names = "--csv", paramLabel = "FILE", required = true, description = "CSV file with a header line.")
    Path csv;

    @Option(names = "--version", paramLabel = "V", defaultValue = "base", description = "Version label"
            + " (default: ${DEFAULT-VALUE}).")
    String version;

    @Mixin
    ProcessIdOption pid;

    @Override
    void execute() {
        Frame frame = Csv.read(csv);
        try (Vault v = openWritable()) {
            String p = v.writeInstance(table, frame, WriteOptions.defaults().version(version).processId(pid.processId));
            print(Json.obj("table", table, "version", version, "rows", frame.rowCount(), "columns",
                    frame.columnNames(), "processId", p), "wrote " + frame.rowCount() + " rows x "
                    + frame.columnCount() + " columns into " + table + " version " + version + " (process " + p + ")");
        }
    }
}
