package dev.tablevault.arrow;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.tablevault.api.Column;
import dev.tablevault.api.ColumnVector;
import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.TableVaultException;
import dev.tablevault.api.TvArgumentException;
import dev.tablevault.api.TvStorageException;
import org.apache.arrow.c.ArrowArrayStream;
import org.apache.arrow.c.Data;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.duckdb.DuckDBConnection;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.function.LongConsumer;

/**
 * Writes an instance read through an {@link ArrowSnapshot} as Arrow IPC (the file format, also called Feather
 * v2, which pandas, Polars and pyarrow open), Parquet (written by DuckDB from the Arrow stream: the file-level
 * key {@value Duck#TYPES_KEY} keeps the column types, and DURATION columns are Int64 nanoseconds, as Parquet's
 * INTERVAL holds milliseconds), CSV (the form {@code tv show} prints and {@code tv write --csv} reads: header
 * {@code name:type}, ISO-8601 times, Base64 bytes, empty = null) or JSON lines (one object per row; times and
 * durations as ISO-8601 text, bytes as Base64, NaN and infinities as text). OBJECT columns are refused by every
 * format. Memory holds one batch ({@value #BATCH_ROWS} rows) and a stored chunk per column. {@code progress},
 * when not null, is told the rows written so far, possibly from another thread.
 */
public final class ArrowExport {
    /** Rows per Arrow batch. */
    public static final int BATCH_ROWS = 65_536;
    private static final String STREAM = "tv_export";

    /** The formats {@code tv export} writes. */
    public enum Format {
        ARROW, PARQUET, CSV, JSONL;

        /** By name, any case. */
        public static Format parse(String name) {
            for (Format f : values()) {
                if (f.name().equalsIgnoreCase(name)) {
                    return f;
                }
            }
            throw new TvArgumentException(ErrorCode.BAD_ARGUMENT, "format '" + name + "' is not one of arrow,"
                    + " parquet, csv, jsonl");
        }

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private ArrowExport() {
    }

    /** Writes the instance as an Arrow IPC file to {@code out} (not closed); returns the rows written. */
    public static long arrow(ArrowSnapshot snap, String table, String instanceId, List<String> columns,
                             OutputStream out, LongConsumer progress) throws IOException {
        try (BufferAllocator allocator = new RootAllocator();
             InstanceReader r = snap.reader(table, instanceId, columns, BATCH_ROWS, allocator, false)) {
            r.onProgress(progress);
            long rows = 0;
            try (ArrowFileWriter w = new ArrowFileWriter(r.getVectorSchemaRoot(), null, Channels.newChannel(
                    new Unclosed(out)))) {
                w.start();
                while (r.loadNextBatch()) {
                    w.writeBatch();
                    rows += r.getVectorSchemaRoot().getRowCount();
                }
                w.end();
            }
            out.flush();
            return rows;
        }
    }

    /**
     * Writes the instance as a Parquet file {@code file} (replaced if there); returns the rows written. DuckDB
     * pulls the batches through Arrow's C stream interface and writes with its own threads.
     */
    public static long parquet(ArrowSnapshot snap, String table, String instanceId, List<String> columns,
                               Path file, LongConsumer progress) {
        try (BufferAllocator allocator = new RootAllocator();
             InstanceReader r = snap.reader(table, instanceId, columns, BATCH_ROWS, allocator, true);
             ArrowArrayStream stream = ArrowArrayStream.allocateNew(allocator);
             Connection c = Duck.connect();
             Statement st = c.createStatement()) {
            long[] rows = new long[1];
            r.onProgress(done -> {
                rows[0] = done;
                if (progress != null) {
                    progress.accept(done);
                }
            });
            List<Column> cols = new ArrayList<>();
            r.getVectorSchemaRoot().getSchema().getFields().forEach(f -> cols.add(new Column(f.getName(),
                    dev.tablevault.api.ColumnType.valueOf(f.getMetadata().get(Types.TYPE_KEY)))));
            Data.exportArrayStream(allocator, r, stream);
            c.unwrap(DuckDBConnection.class).registerArrowStream(STREAM, stream);
            try {
                st.execute("COPY (SELECT * FROM " + STREAM + ") TO " + Duck.literal(file) + " (FORMAT parquet,"
                        + " KV_METADATA {" + Duck.text(Duck.TYPES_KEY) + ": " + Duck.text(Duck.typesJson(cols)) + "})");
            } catch (SQLException e) {
                if (r.failure() != null) {
                    throw r.failure();
                }
                throw new TvStorageException(ErrorCode.IO, "DuckDB could not write Parquet file " + file + ": "
                        + e.getMessage(), e);
            }
            return rows[0];
        } catch (TableVaultException e) {
            throw e;
        } catch (SQLException | IOException e) {
            throw new TvStorageException(ErrorCode.IO, "writing Parquet file " + file + " failed: " + e.getMessage(),
                    e);
        }
    }

    /** Writes the instance as CSV to {@code out} (not closed); returns the rows written. */
    public static long csv(ArrowSnapshot snap, String table, String instanceId, List<String> columns, Writer out,
                           LongConsumer progress) throws IOException {
        ArrowSnapshot.Rows rows = snap.rows(table, instanceId, columns);
        try (RowSource src = rows.source()) {
            List<Column> cols = rows.columns();
            List<String> line = new ArrayList<>(cols.size());
            for (Column c : cols) {
                line.add(c.name() + ":" + c.type().name().toLowerCase(Locale.ROOT));
            }
            out.write(csvLine(line));
            long done = each(src, cols, row -> {
                line.clear();
                for (Object v : row) {
                    line.add(v == null ? null : v instanceof byte[] b ? Base64.getEncoder().encodeToString(b)
                            : v.toString());
                }
                out.write(csvLine(line));
            }, progress);
            out.flush();
            return done;
        }
    }

    /** Writes the instance as JSON lines to {@code out} (not closed); returns the rows written. */
    public static long jsonl(ArrowSnapshot snap, String table, String instanceId, List<String> columns, Writer out,
                             LongConsumer progress) throws IOException {
        ArrowSnapshot.Rows rows = snap.rows(table, instanceId, columns);
        try (RowSource src = rows.source();
             JsonGenerator g = new JsonFactory().createGenerator(new Unclosed.W(out)).setRootValueSeparator(null)) {
            List<Column> cols = rows.columns();
            long done = each(src, cols, row -> {
                g.writeStartObject();
                for (int c = 0; c < cols.size(); c++) {
                    g.writeFieldName(cols.get(c).name());
                    Object v = row.get(c);
                    if (v == null) {
                        g.writeNull();
                    } else if (v instanceof Long l) {
                        g.writeNumber(l);
                    } else if (v instanceof Double d) {
                        g.writeNumber(d);
                    } else if (v instanceof Boolean b) {
                        g.writeBoolean(b);
                    } else if (v instanceof byte[] b) {
                        g.writeString(Base64.getEncoder().encodeToString(b));
                    } else {
                        g.writeString(v.toString());
                    }
                }
                g.writeEndObject();
                g.writeRaw('\n');
            }, progress);
            g.flush();
            return done;
        }
    }

    /**
     * One CSV line as {@code tv show} prints it: a cell quoted only when it holds a comma, quote or line end;
     * null is an empty cell, and a line of one null cell is {@code ""} (an empty line would be skipped on reading).
     * Jackson's CSV writer drops null array elements, so the few lines here keep the two commands' output equal.
     */
    static String csvLine(List<String> cells) {
        if (cells.size() == 1 && cells.get(0) == null) {
            return "\"\"\n";
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            String s = cells.get(i);
            if (s != null) {
                boolean quote = s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0
                        || s.indexOf('\r') >= 0;
                sb.append(quote ? '"' + s.replace("\"", "\"\"") + '"' : s);
            }
        }
        return sb.append('\n').toString();
    }

    private interface RowWriter {
        void write(List<Object> row) throws IOException;
    }

    /** Hands each row of {@code src} to {@code w}; returns the rows. */
    private static long each(RowSource src, List<Column> cols, RowWriter w, LongConsumer progress)
            throws IOException {
        ColumnVector[] chunk = new ColumnVector[cols.size()];
        List<Object> row = new ArrayList<>(cols.size());
        long done = 0;
        for (int n = src.next(chunk); n >= 0; n = src.next(chunk)) {
            for (int i = 0; i < n; i++) {
                row.clear();
                for (ColumnVector col : chunk) {
                    row.add(col.get(i));
                }
                w.write(row);
            }
            done += n;
            if (progress != null) {
                progress.accept(done);
            }
        }
        return done;
    }

    /** A stream whose close only flushes: the caller owns {@code out}. */
    private static final class Unclosed extends java.io.FilterOutputStream {
        Unclosed(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }

        /** The same for a writer. */
        static final class W extends java.io.FilterWriter {
            W(Writer out) {
                super(out);
            }

            @Override
            public void close() throws IOException {
                flush();
            }
        }
    }
}
