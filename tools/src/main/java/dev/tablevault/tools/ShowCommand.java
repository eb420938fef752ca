package dev.tablevault.tools;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.tablevault.api.Column;
import dev.tablevault.api.InstanceProgress;
import dev.tablevault.api.InstanceDescription;
import dev.tablevault.api.ReadOptions;
import dev.tablevault.api.RowCursor;
import dev.tablevault.api.Vault;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.io.IOException;
import java.util.List;

/**
 * {@code tv show TABLE}: streams an instance's rows as CSV (header {@code name:type}, the form {@code tv write}
 * reads) or, with {@code --json}, as one object {@code {table, instanceId, columns, rows}}. Object column
 * values print as {@link Csv#format} and {@link Json#tree} describe; their classes must be on the class path.
 * A partial read (a temporary instance a running or paused process is building) says so on stderr, so the CSV
 * stays clean, or with {@code --json} in a {@code partial} field.
 */
@Command(name = "show", description = {"Print the rows of an instance as CSV (the latest active one by default).",
        "The header cells are NAME:TYPE and an empty cell is null, so the output can be given to 'tv write --csv'"
        + " (except object columns, which print by toString; with --json, maps, lists and records print as JSON)."})
final class ShowCommand extends VaultCommand {
    @Mixin
    TableParameter table;

    @Option(names = "--id", paramLabel = "ID", description = "This instance (temporary ones too: one a process is"
            + " building shows the rows it committed).")
    String id;

    @Option(names = "--version", paramLabel = "V", description = "The latest active instance of this version.")
    String version;

    @Option(names = "--limit", paramLabel = "N", description = "Print at most N rows.")
    Long limit;

    @Override
    void execute() throws IOException {
        if (limit != null && limit < 0) {
            throw new ParameterException(spec.commandLine(), "--limit must be >= 0, got " + limit);
        }
        if (id != null && version != null) {
            throw new ParameterException(spec.commandLine(), "give --id or --version, not both");
        }
        ReadOptions read = id != null ? ReadOptions.id(id)
                : version != null ? ReadOptions.version(version) : ReadOptions.latest();
        long max = limit == null ? Long.MAX_VALUE : limit;
        try (Vault v = openReadOnly(); RowCursor rows = v.rows(table.name, read)) {
            InstanceDescription d = v.description(table.name, rows.instanceId());
            boolean unsuccessful = !d.temporary() && !d.success();
            if (json()) {
                json(rows, max, d.success());
            } else {
                if (rows.progress() != null) {
                    spec.commandLine().getErr().println(partialLine(rows.progress()));
                }
                if (unsuccessful) {
                    // stderr, so that stdout stays CSV for 'tv write --csv'
                    spec.commandLine().getErr().println("tv: note: " + d.id() + " is unsuccessful: process "
                            + d.processId() + " was stopped with --materialize, so rows it did not reach are null");
                    spec.commandLine().getErr().flush();
                }
                csv(rows, max);
            }
        }
    }

    /** "partial: N of M rows committed by process P (STATE)", and the builder at work. */
    static String partialLine(InstanceProgress p) {
        String rows = p.rows() >= 0 ? p.committedRows() + " of " + p.rows() : Long.toString(p.committedRows());
        String line = "partial: " + rows + " rows committed by process " + p.processId() + " (" + p.state() + ")";
        if (p.builder() == null) {
            return line;
        }
        return line + (p.rows() >= 0 ? ", builder '" + p.builder() + "'"
                : ", index builder '" + p.builder() + "' still running");
    }

    private void csv(RowCursor rows, long max) {
        out().println(Csv.headerLine(rows.columns()));
        for (long n = 0; n < max && rows.hasNext(); n++) {
            out().println(Csv.line(rows.next()));
        }
    }

    private void json(RowCursor rows, long max, boolean success) throws IOException {
        try (JsonGenerator g = Json.mapper().getFactory().createGenerator(out())) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            g.writeStartObject();
            g.writeStringField("table", table.name);
            g.writeStringField("instanceId", rows.instanceId());
            if (rows.progress() != null) {
                g.writeObjectField("partial", rows.progress());
            }
            g.writeBooleanField("success", success);
            g.writeArrayFieldStart("columns");
            for (Column c : rows.columns()) {
                g.writeStartObject();
                g.writeStringField("name", c.name());
                g.writeStringField("type", Csv.typeName(c.type()));
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("rows");
            for (long n = 0; n < max && rows.hasNext(); n++) {
                List<Object> row = rows.next();
                g.writeStartArray();
                for (Object value : row) {
                    g.writeObject(Json.tree(value));
                }
                g.writeEndArray();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        out().println();
    }
}
