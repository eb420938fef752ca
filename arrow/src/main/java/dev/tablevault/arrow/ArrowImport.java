package dev.tablevault.arrow;

import dev.tablevault.api.Column;
import dev.tablevault.api.ColumnType;
import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.Frame;
import dev.tablevault.api.TableVaultException;
import dev.tablevault.api.TvArgumentException;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.util.ValueVectorUtility;
import org.duckdb.DuckDBResultSet;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An Arrow IPC (file or stream format) or Parquet file read batch by batch as column values, typed as
 * {@link VaultArrow} describes ({@code tablevault.type} metadata restores the exact type: field metadata in
 * Arrow, the file's {@value Duck#TYPES_KEY} key in Parquet). Parquet is read by DuckDB ({@code read_parquet}) and
 * handed over as an Arrow stream. Anything that does not read (not such a file, truncated, damaged, a column
 * of a type no column type holds, text that is not UTF-8) is {@code BAD_ARGUMENT} naming the file and what is
 * wrong. One thread; close it.
 */
public final class ArrowImport implements AutoCloseable {
    /** Rows per batch asked of DuckDB. */
    private static final int PARQUET_BATCH = 65_536;
    private static final byte[] ARROW_FILE = "ARROW1".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] PARQUET = "PAR1".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /** A file format a load reads. */
    public enum Format {
        ARROW, PARQUET;

        /** By name, any case: {@code arrow} (also {@code ipc}, {@code feather}) or {@code parquet}. */
        public static Format parse(String name) {
            return switch (name.toLowerCase(Locale.ROOT)) {
                case "arrow", "ipc", "feather" -> ARROW;
                case "parquet" -> PARQUET;
                default -> throw new TvArgumentException(ErrorCode.BAD_ARGUMENT, "format '" + name
                        + "' is not arrow or parquet");
            };
        }
    }

    private final Path file;
    private final BufferAllocator allocator;
    private final AutoCloseable[] resources;
    private final ArrowReader reader;
    private final ArrowFrames.Values values;

    private ArrowImport(Path file, String source, BufferAllocator allocator, ArrowReader reader,
                        Map<String, ColumnType> declared, AutoCloseable... resources) throws IOException {
        this.file = file;
        this.allocator = allocator;
        this.reader = reader;
        this.resources = resources;
        this.values = new ArrowFrames.Values(reader.getVectorSchemaRoot().getSchema(), declared, source);
    }

    /**
     * Opens {@code file}; {@code format} null tells it by its first bytes ({@code ARROW1}: Arrow IPC file,
     * {@code PAR1}: Parquet, else the Arrow IPC stream format).
     *
     * @throws TvArgumentException {@code BAD_ARGUMENT} for a missing or unreadable file, or one that is not of
     *     the format
     */
    public static ArrowImport open(Path file, Format format) {
        String source = "file " + file;
        BufferAllocator allocator = new RootAllocator();
        try {
            byte[] head = head(file);
            Format f = format != null ? format : startsWith(head, PARQUET) ? Format.PARQUET : Format.ARROW;
            if (f == Format.PARQUET) {
                return parquet(file, source, allocator);
            }
            FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
            ArrowReader r = startsWith(head, ARROW_FILE) ? new ArrowFileReader(ch, allocator)
                    : new ArrowStreamReader(ch, allocator);
            try {
                return new ArrowImport(file, source, allocator, r, Map.of(), r);
            } catch (IOException | RuntimeException e) {
                r.close();
                throw e;
            }
        } catch (TableVaultException e) {
            allocator.close();
            throw e;
        } catch (IOException | RuntimeException e) {
            allocator.close();
            throw unreadable(file, format == Format.PARQUET ? "Parquet" : "Arrow IPC", e);
        }
    }

    private static ArrowImport parquet(Path file, String source, BufferAllocator allocator) throws IOException {
        // Closed in reverse order on failure; on success the import owns them.
        java.util.Deque<AutoCloseable> opened = new java.util.ArrayDeque<>();
        try {
            Connection c = Duck.connect();
            opened.push(c);
            Map<String, ColumnType> declared = Duck.declaredTypes(c, file);
            Statement st = c.createStatement();
            opened.push(st);
            ResultSet rs = st.executeQuery("SELECT * FROM read_parquet(" + Duck.literal(file) + ")");
            opened.push(rs);
            ArrowReader r = (ArrowReader) rs.unwrap(DuckDBResultSet.class).arrowExportStream(allocator, PARQUET_BATCH);
            opened.push(r);
            return new ArrowImport(file, source, allocator, r, declared, opened.toArray(AutoCloseable[]::new));
        } catch (SQLException e) {
            opened.forEach(ArrowImport::close);
            throw unreadable(file, "Parquet", e);
        } catch (IOException | RuntimeException e) {
            opened.forEach(ArrowImport::close);
            throw e;
        }
    }

    private static byte[] head(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(8);
        } catch (NoSuchFileException e) {
            throw new TvArgumentException(ErrorCode.BAD_ARGUMENT, "no such file " + file);
        }
    }

    private static boolean startsWith(byte[] b, byte[] prefix) {
        return b.length >= prefix.length && Arrays.equals(b, 0, prefix.length, prefix, 0, prefix.length);
    }

    static TvArgumentException unreadable(Path file, String format, Exception e) {
        return new TvArgumentException(ErrorCode.BAD_ARGUMENT, "file " + file + " is not a readable " + format
                + " file (" + e.getClass().getSimpleName() + ": " + e.getMessage() + "); nothing was loaded", e);
    }

    /** The columns the file loads as. */
    public List<Column> columns() {
        return values.columns();
    }

    /**
     * Appends the next batch's values to {@code into} (one list per column) and returns its rows, or -1 after
     * the last batch.
     *
     * @throws TvArgumentException {@code BAD_ARGUMENT} when the batch does not read or a value does not fit
     */
    public int next(List<List<Object>> into) {
        try {
            if (!reader.loadNextBatch()) {
                return -1;
            }
            VectorSchemaRoot root = reader.getVectorSchemaRoot();
            ValueVectorUtility.validateFull(root);
            values.append(root, into);
            return root.getRowCount();
        } catch (TableVaultException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw unreadable(file, resources.length > 1 ? "Parquet" : "Arrow IPC", e);
        }
    }

    /** Every row of {@code file} as a frame (held in memory). */
    public static Frame readFrame(Path file, Format format) {
        try (ArrowImport in = open(file, format)) {
            List<List<Object>> cols = new ArrayList<>();
            in.columns().forEach(c -> cols.add(new ArrayList<>()));
            int rows;
            do {
                rows = in.next(cols);
            } while (rows >= 0);
            return Frame.ofColumns(in.columns(), cols);
        }
    }

    @Override
    public void close() {
        try {
            for (AutoCloseable r : resources) {
                close(r);
            }
        } finally {
            allocator.close();
        }
    }

    private static void close(AutoCloseable r) {
        try {
            r.close();
        } catch (Exception e) {
            throw new IllegalStateException("closing " + r + " failed: " + e.getMessage(), e);
        }
    }
}
