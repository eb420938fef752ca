package dev.tablevault.tools;

import dev.tablevault.api.Frame;
import dev.tablevault.api.Vault;
import dev.tablevault.api.WriteOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** {@code tv write TABLE --csv FILE}: fills the external-edit instance from a CSV file and materializes it. */
@Command(name = "write", description = {"Write a CSV file into the external-edit instance TEMP_<version> and"
        + " materialize it.", "Header cells are NAME or NAME:TYPE (TYPE: long, double, boolean, string, bytes,"
        + " timestamp, duration, artifact; default string). An empty cell is null."})
final class WriteCommand extends VaultCommand {
    @Mixin
    TableParameter table;

    @Option(names = "--csv", paramLabel = "FILE", required = true, description = "CSV file with a header line.")
    Path csv;

    @Mixin
    VersionOption version;

    @Mixin
    ProcessIdOption pid;

    @Override
    void execute() {
        Frame frame = Csv.read(csv);
        try (Vault v = openWritable()) {
            String p = v.writeInstance(table.name, frame, WriteOptions.defaults().version(version.label)
                    .processId(pid.processId));
            printWrite(p, "wrote " + frame.rowCount() + " rows x " + frame.columnCount() + " columns into "
                    + table.name + " version " + version.label, "table", table.name, "version", version.label,
                    "rows", frame.rowCount(), "columns", frame.columnNames());
        }
    }
}
