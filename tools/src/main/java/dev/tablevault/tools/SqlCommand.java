package dev.tablevault.tools;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.tablevault.api.Vault;
import dev.tablevault.arrow.SqlExport;
import dev.tablevault.arrow.SqlOptions;
import dev.tablevault.arrow.VaultSql;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Field;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code tv sql QUERY}: one read-only SELECT over the vault's tables with DuckDB ({@link VaultSql}), printed as an
 * aligned text table, CSV ({@code --csv}) or one JSON object ({@code --json}: {@code {columns, rows}}), or written
 * to a file ({@code --format arrow|parquet|csv|jsonl --out FILE}). The vault is opened read-only, so this works
 * beside an owner.
 */
@Command(name = "sql", description = {"Run one read-only SQL SELECT over the vault with DuckDB and print the result.",
        "A table name reads its latest successful instance; \"TABLE@INSTANCE_ID\" (quoted) reads that instance."
        + " Statements that would write (INSERT, CREATE, COPY, ATTACH, SET, ...) are refused (READ_ONLY)."})
final class SqlCommand extends VaultCommand {
    @Parameters(index = "0", paramLabel = "QUERY", description = "The SELECT statement.")
    String query;

    @Option(names = "--csv", description = "Print CSV: a header of NAME:TYPE cells (NAME alone for types tv has"
            + " no column type for), then one line per row; an empty cell is null.")
    boolean csv;

    @Option(names = "--limit", paramLabel = "N", description = "Print at most N rows.")
    Long limit;

    @Option(names = "--format", paramLabel = "F", description = "With --out: arrow (an Arrow IPC file), parquet,"
            + " csv (as --csv prints it) or jsonl (one JSON object per row).")
    String format;

    @Option(names = "--out", paramLabel = "FILE", description = "Write the result to FILE (replaced if there) in"
            + " --format instead of printing it; prints the number of rows written.")
    Path file;

    @Override
    void execute() throws IOException {
        if (limit != null && limit < 0) {
            throw new ParameterException(spec.commandLine(), "--limit must be >= 0, got " + limit);
        }
        if (csv && json()) {
            throw new ParameterException(spec.commandLine(), "give --csv or --json, not both");
        }
        if ((format == null) != (file == null)) {
            throw new ParameterException(spec.commandLine(), "give --format and --out together");
        }
        if (file != null && (csv || limit != null)) {
            throw new ParameterException(spec.commandLine(), "--csv and --limit are for printing; with --out, use"
                    + " LIMIT in the query");
        }
        if (format != null && !List.of("arrow", "parquet", "csv", "jsonl").contains(format)) {
            throw new ParameterException(spec.commandLine(), "--format must be arrow, parquet, csv or jsonl, not '"
                    + format + "'");
        }
        long max = limit == null ? Long.MAX_VALUE : limit;
        try (Vault v = openReadOnly(); BufferAllocator allocator = new RootAllocator();
             ArrowReader r = VaultSql.query(v, query, SqlOptions.defaults(), allocator)) {
            VectorSchemaRoot root = r.getVectorSchemaRoot();
            List<Field> fields = root.getSchema().getFields();
            if (file != null) {
                long rows = export(r, root, fields, allocator);
                print(Json.obj("file", file.toString(), "format", format, "rows", rows),
                        "wrote " + rows + " rows to " + file + " (" + format + ")");
            } else if (json()) {
                json(r, root, fields, max);
            } else if (csv) {
                out().println(SqlValues.csvHeader(fields));
                each(r, root, max, row -> out().println(Csv.line(row)));
            } else {
                List<String[]> rows = new ArrayList<>();
                rows.add(fields.stream().map(Field::getName).toArray(String[]::new));
                each(r, root, max, row -> rows.add(row.stream().map(SqlValues::text).toArray(String[]::new)));
                out().println(TextTable.render(rows));
            }
        }
    }

    private long export(ArrowReader r, VectorSchemaRoot root, List<Field> fields, BufferAllocator allocator)
            throws IOException {
        switch (format) {
            case "arrow":
                return SqlExport.arrow(r, file);
            case "parquet":
                return SqlExport.parquet(r, allocator, file);
            default:
                long[] rows = new long[1];
                try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                    if (format.equals("csv")) {
                        w.write(SqlValues.csvHeader(fields) + "\n");
                    }
                    each(r, root, Long.MAX_VALUE, row -> {
                        w.write((format.equals("csv") ? Csv.line(row) : jsonLine(fields, row)) + "\n");
                        rows[0]++;
                    });
                }
                return rows[0];
        }
    }

    private static String jsonLine(List<Field> fields, List<Object> row) {
        Map<String, Object> o = new LinkedHashMap<>();
        for (int c = 0; c < fields.size(); c++) {
            o.put(fields.get(c).getName(), Json.tree(row.get(c)));
        }
        return Json.write(o);
    }

    private interface RowSink {
        void accept(List<Object> row) throws IOException;
    }

    /** Hands at most {@code max} rows to {@code sink}, batch by batch; stops reading once it has them. */
    private static void each(ArrowReader r, VectorSchemaRoot root, long max, RowSink sink) throws IOException {
        long n = 0;
        while (n < max && r.loadNextBatch()) {
            for (int i = 0; i < root.getRowCount() && n < max; i++, n++) {
                sink.accept(SqlValues.row(root, i));
            }
        }
    }

    private void json(ArrowReader r, VectorSchemaRoot root, List<Field> fields, long max) throws IOException {
        try (JsonGenerator g = Json.mapper().getFactory().createGenerator(out())) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            g.writeStartObject();
            g.writeArrayFieldStart("columns");
            for (Field f : fields) {
                g.writeStartObject();
                g.writeStringField("name", f.getName());
                g.writeStringField("type", SqlValues.typeName(f));
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("rows");
            each(r, root, max, row -> {
                g.writeStartArray();
                for (Object value : row) {
                    g.writeObject(Json.tree(value));
                }
                g.writeEndArray();
            });
            g.writeEndArray();
            g.writeEndObject();
        }
        out().println();
    }
}
