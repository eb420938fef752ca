package dev.tablevault.tools;

import dev.tablevault.api.Frame;
import dev.tablevault.api.Vault;
import dev.tablevault.api.WriteOptions;
import dev.tablevault.arrow.ArrowImport;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.nio.file.Path;
import java.util.Locale;

/**
 * {@code tv write TABLE --csv FILE} or {@code --file FILE [--format csv|arrow|parquet]}: fills the external-edit
 * instance from a CSV, Arrow IPC or Parquet file and materializes it. The file is read whole before the write
 * starts, so a file that does not read changes nothing.
 */
@Command(name = "write", description = {"Write a CSV, Arrow IPC or Parquet file into the external-edit instance"
        + " TEMP_<version> and materialize it.", "CSV header cells are NAME or NAME:TYPE (TYPE: long, double,"
        + " boolean, string, bytes, timestamp, duration, artifact; default string). An empty cell is null.",
        "Arrow and Parquet columns map to the nearest type (see docs/ARCHITECTURE.md, \"Arrow\")."})
final class WriteCommand extends VaultCommand {
    @Mixin
    TableParameter table;

    @ArgGroup(multiplicity = "1")
    Input input;

    /** One input file: {@code --csv FILE}, or {@code --file FILE} with its format. */
    static final class Input {
        @Option(names = "--csv", paramLabel = "FILE", description = "CSV file with a header line.")
        Path csv;

        @Option(names = "--file", paramLabel = "FILE", description = "A CSV, Arrow IPC or Parquet file.")
        Path file;
    }

    @Option(names = "--format", paramLabel = "FORMAT", description = "csv, arrow or parquet (with --file; default:"
            + " by the name's ending: .arrow, .feather, .ipc or .parquet, else csv).")
    String format;

    @Mixin
    VersionOption version;

    @Mixin
    ProcessIdOption pid;

    @Override
    void execute() {
        Frame frame = read();
        try (Vault v = openWritable()) {
            String p = v.writeInstance(table.name, frame, WriteOptions.defaults().version(version.label)
                    .processId(pid.processId));
            printWrite(p, "wrote " + frame.rowCount() + " rows x " + frame.columnCount() + " columns into "
                    + table.name + " version " + version.label, "table", table.name, "version", version.label,
                    "rows", frame.rowCount(), "columns", frame.columnNames());
        }
    }

    private Frame read() {
        if (input.csv != null) {
            if (format != null) {
                throw new ParameterException(spec.commandLine(), "--format goes with --file, not --csv");
            }
            return Csv.read(input.csv);
        }
        String f = format != null ? format.toLowerCase(Locale.ROOT) : byName(input.file);
        return switch (f) {
            case "csv" -> Csv.read(input.file);
            case "arrow" -> ArrowImport.readFrame(input.file, ArrowImport.Format.ARROW);
            case "parquet" -> ArrowImport.readFrame(input.file, ArrowImport.Format.PARQUET);
            default -> throw new ParameterException(spec.commandLine(), "--format must be csv, arrow or parquet, not '"
                    + format + "'");
        };
    }

    private static String byName(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".arrow") || name.endsWith(".feather") || name.endsWith(".ipc")) {
            return "arrow";
        }
        return name.endsWith(".parquet") ? "parquet" : "csv";
    }
}
