package dev.tablevault.tools;

import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.TableVaultException;
import dev.tablevault.api.TvStorageException;
import dev.tablevault.api.Vault;
import dev.tablevault.arrow.ArrowExport;
import dev.tablevault.arrow.ArrowSnapshot;
import dev.tablevault.arrow.VaultArrow;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.io.BufferedOutputStream;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * {@code tv export TABLE --format arrow|parquet|csv|jsonl}: writes an instance (the latest active, successful
 * one by default) from one read-only snapshot, through {@link ArrowExport}. With {@code --out} the file appears
 * whole or not at all (written beside it under a temporary name, then renamed); without it arrow, csv and jsonl
 * go to stdout (arrow not to a terminal). A progress bar goes to stderr.
 */
@Command(name = "export", description = {"Write an instance as Arrow IPC, Parquet, CSV or JSON lines (the latest"
        + " active, successful one by default).", "Arrow IPC (Feather v2): pandas.read_feather, polars.read_ipc;"
        + " Parquet: pandas.read_parquet, polars.read_parquet, DuckDB. Object columns have no such form: leave"
        + " them out with --columns."})
final class ExportCommand extends VaultCommand {
    @Mixin
    TableParameter table;

    @Option(names = "--format", required = true, paramLabel = "FORMAT", description = "arrow, parquet, csv or"
            + " jsonl.")
    String format;

    @Option(names = "--id", paramLabel = "ID", description = "This instance.")
    String id;

    @Option(names = "--columns", split = ",", paramLabel = "COL", description = "Only these columns, in this"
            + " order.")
    List<String> columns;

    @Option(names = "--out", paramLabel = "FILE", description = "Write to FILE (replaced if there) instead of"
            + " stdout; parquet needs it.")
    Path out;

    @Mixin
    ProgressOption progress;

    @Override
    void execute() throws IOException {
        ArrowExport.Format f = format();
        if (out == null && f == ArrowExport.Format.PARQUET) {
            throw new ParameterException(spec.commandLine(), "--format parquet needs --out FILE (Parquet is"
                    + " written by seeking in a file)");
        }
        if (out == null && f == ArrowExport.Format.ARROW && System.console() != null) {
            throw new ParameterException(spec.commandLine(), "--format arrow writes binary data: give --out FILE"
                    + " or redirect stdout");
        }
        try (Vault v = openReadOnly(); ArrowSnapshot snap = VaultArrow.snapshot(v);
             Progress bar = Progress.of(progress.show(json()), spec.commandLine().getErr())) {
            long total = snap.rowCount(table.name, id);
            LongConsumer rows = bar.listener() == null ? null
                    : done -> bar.listener().progress("export " + f.label(), 0, 1, done, total);
            if (out == null) {
                // Arrow is bytes: System.out itself, not the command's text writer.
                if (f == ArrowExport.Format.ARROW) {
                    ArrowExport.arrow(snap, table.name, id, columns, System.out, rows);
                } else {
                    toText(snap, f, out(), rows);
                }
                return;
            }
            long n = toFile(snap, f, rows);
            bar.close();
            print(Json.obj("table", table.name, "format", f.label(), "rows", n, "file", out.toString()),
                    "exported " + n + " rows of " + table.name + " as " + f.label() + " to " + out);
        }
    }

    private ArrowExport.Format format() {
        try {
            return ArrowExport.Format.parse(format);
        } catch (TableVaultException e) {
            throw new ParameterException(spec.commandLine(), "--format must be arrow, parquet, csv or jsonl, not '"
                    + format + "'");
        }
    }

    /** Writes beside {@code out} under a temporary name, then renames it over {@code out}. */
    private long toFile(ArrowSnapshot snap, ArrowExport.Format f, LongConsumer rows) throws IOException {
        Path target = out.toAbsolutePath();
        Path temp = target.resolveSibling("." + target.getFileName() + ".tv-export-" + ProcessHandle.current().pid());
        try {
            long n;
            if (f == ArrowExport.Format.PARQUET) {
                n = ArrowExport.parquet(snap, table.name, id, columns, temp, rows);
            } else if (f == ArrowExport.Format.ARROW) {
                try (OutputStream o = new BufferedOutputStream(Files.newOutputStream(temp), 1 << 16)) {
                    n = ArrowExport.arrow(snap, table.name, id, columns, o, rows);
                }
            } else {
                try (Writer w = new BufferedWriter(Files.newBufferedWriter(temp, StandardCharsets.UTF_8), 1 << 16)) {
                    n = toText(snap, f, w, rows);
                }
            }
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return n;
        } catch (IOException e) {
            throw new TvStorageException(ErrorCode.IO, "cannot write " + out + ": " + e.getMessage(), e);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private long toText(ArrowSnapshot snap, ArrowExport.Format f, Writer w, LongConsumer rows) throws IOException {
        return f == ArrowExport.Format.CSV ? ArrowExport.csv(snap, table.name, id, columns, w, rows)
                : ArrowExport.jsonl(snap, table.name, id, columns, w, rows);
    }
}
