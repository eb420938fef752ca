package dev.tablevault.tools;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.tablevault.api.Vault;
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
import java.util.ArrayList;
import java.util.List;

/**
 * {@code tv sql QUERY}: one read-only SELECT over the vault's tables with DuckDB ({@link VaultSql}), printed as an
 * aligned text table, CSV ({@code --csv}) or one JSON object ({@code --json}: {@code {columns, rows}}). The vault
 * is opened read-only, so this works beside an owner.
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

    @Override
    void execute() throws IOException {
        if (limit != null && limit < 0) {
            throw new ParameterException(spec.commandLine(), "--limit must be >= 0, got " + limit);
        }
        if (csv && json()) {
            throw new ParameterException(spec.commandLine(), "give --csv or --json, not both");
        }
        long max = limit == null ? Long.MAX_VALUE : limit;
        try (Vault v = openReadOnly(); BufferAllocator allocator = new RootAllocator();
             ArrowReader r = VaultSql.query(v, query, SqlOptions.defaults(), allocator)) {
            VectorSchemaRoot root = r.getVectorSchemaRoot();
            List<Field> fields = root.getSchema().getFields();
            if (json()) {
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
