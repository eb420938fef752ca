package dev.tablevault.tools;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.tablevault.api.Column;
import dev.tablevault.api.ColumnType;
import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.Frame;
import dev.tablevault.api.TvArgumentException;
import dev.tablevault.api.TvStorageException;
import dev.tablevault.engine.builtin.Utf8Reader;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * CSV in and out. The header names the columns; a header cell may be {@code name:type} with a lower-case
 * {@link ColumnType} name (default {@code string}). An empty cell, quoted or not, is null (so an empty string
 * reads back as null). Bytes are Base64, timestamps ISO-8601 instants, durations ISO-8601 ({@code PT1.5S}).
 * {@code tv show} writes the same form, so its output can be written back, except {@code object} columns:
 * their values print by {@code toString} (arrays by content) and cannot be parsed back, so reading refuses the
 * type. Reading uses Jackson; writing is done here because Jackson's row writer drops null array elements
 * (shifting the columns).
 */
final class Csv {
    private static final CsvMapper MAPPER = CsvMapper.builder()
            .enable(CsvParser.Feature.WRAP_AS_ARRAY)
            .enable(CsvParser.Feature.SKIP_EMPTY_LINES)
            .build();

    private Csv() {
    }

    /** Reads a whole CSV file into a frame; the text must be UTF-8 (a leading byte order mark is dropped). */
    static Frame read(Path file) {
        // hasNextValue/nextValue, not hasNext/next, which wrap an IOException into a bare RuntimeException.
        try (InputStream in = Files.newInputStream(file);
             MappingIterator<String[]> it = MAPPER.readerFor(String[].class).with(CsvSchema.emptySchema())
                     .readValues(new Utf8Reader(in))) {
            if (!it.hasNextValue()) {
                throw bad(file, "it is empty; the first line must name the columns");
            }
            List<Column> columns = header(file, it.nextValue());
            List<List<Object>> values = new ArrayList<>();
            columns.forEach(c -> values.add(new ArrayList<>()));
            long row = 0;
            while (it.hasNextValue()) {
                String[] cells = it.nextValue();
                row++;
                if (cells.length != columns.size()) {
                    throw bad(file, "row " + row + " has " + cells.length + " cells, the header has "
                            + columns.size());
                }
                for (int c = 0; c < cells.length; c++) {
                    values.get(c).add(parse(file, row, columns.get(c), cells[c]));
                }
            }
            return Frame.ofColumns(columns, values);
        } catch (NoSuchFileException e) {
            throw new TvArgumentException(ErrorCode.NOT_FOUND, "no such file: " + file);
        } catch (Utf8Reader.NotUtf8Exception e) {
            throw notUtf8(file, e);
        } catch (JsonProcessingException e) {
            // Jackson wraps the reader's failure when it comes in the middle of a row.
            if (e.getCause() instanceof Utf8Reader.NotUtf8Exception n) {
                throw notUtf8(file, n);
            }
            throw bad(file, e.getMessage());
        } catch (IllegalArgumentException e) {
            throw bad(file, e.getMessage());
        } catch (IOException e) {
            throw new TvStorageException(ErrorCode.IO, "cannot read " + file + ": " + e, e);
        }
    }

    private static List<Column> header(Path file, String[] cells) {
        List<Column> columns = new ArrayList<>(cells.length);
        for (String cell : cells) {
            if (cell == null || cell.isBlank()) {
                throw bad(file, "the header has an empty column name");
            }
            int colon = cell.indexOf(':');
            String name = colon < 0 ? cell.strip() : cell.substring(0, colon).strip();
            ColumnType type = colon < 0 ? ColumnType.STRING : type(file, cell.substring(colon + 1).strip());
            columns.add(new Column(name, type));
        }
        return columns;
    }

    private static ColumnType type(Path file, String name) {
        ColumnType t;
        try {
            t = ColumnType.valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw bad(file, "unknown column type '" + name + "'; use one of " + readable());
        }
        if (t == ColumnType.OBJECT) {
            throw bad(file, "column type 'object' holds Java objects, which cannot be read from CSV text; write"
                    + " them through the Java API, or use one of " + readable());
        }
        return t;
    }

    private static List<String> readable() {
        return Arrays.stream(ColumnType.values()).filter(t -> t != ColumnType.OBJECT).map(Csv::typeName).toList();
    }

    /** The header cell of a column: {@code name:type}. */
    static String headerCell(Column c) {
        return c.name() + ":" + typeName(c.type());
    }

    static String typeName(ColumnType t) {
        return t.name().toLowerCase(Locale.ROOT);
    }

    private static Object parse(Path file, long row, Column col, String cell) {
        if (cell == null || cell.isEmpty()) {
            return null;
        }
        try {
            return col.type().parse(cell);
        } catch (RuntimeException e) {
            throw bad(file, "row " + row + " column '" + col.name() + "': '" + cell + "' is not a "
                    + typeName(col.type()) + " (" + e.getMessage() + ")");
        }
    }

    /**
     * A cell's text: bytes as Base64, other arrays (a top-level value of an object column) by content as
     * {@code [a, b]}, everything else by {@code toString}; null stays null.
     */
    static String format(Object v) {
        if (v == null) {
            return null;
        }
        if (v instanceof byte[] b) {
            return Base64.getEncoder().encodeToString(b);
        }
        if (v.getClass().isArray()) {
            String s = Arrays.deepToString(new Object[] {v});
            return s.substring(1, s.length() - 1);
        }
        return v.toString();
    }

    /** One CSV line (no line end) of {@code cells}, each formatted by {@link #format}; nulls are empty cells. */
    static String line(List<?> cells) {
        if (cells.size() == 1 && format(cells.get(0)) == null) {
            return "\"\"";  // an empty line would be skipped on reading
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            String s = format(cells.get(i));
            if (s != null) {
                boolean quote = s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0
                        || s.indexOf('\r') >= 0;
                sb.append(quote ? '"' + s.replace("\"", "\"\"") + '"' : s);
            }
        }
        return sb.toString();
    }

    /** The header line of {@code columns}: {@code name:type,...}. */
    static String headerLine(List<Column> columns) {
        return line(columns.stream().map(Csv::headerCell).toList());
    }

    private static TvArgumentException notUtf8(Path file, Utf8Reader.NotUtf8Exception e) {
        return new TvArgumentException(ErrorCode.BAD_ARGUMENT, "bad CSV " + file + ": " + e.getMessage()
                + "; save the file as UTF-8", e);
    }

    private static TvArgumentException bad(Path file, String why) {
        return new TvArgumentException(ErrorCode.BAD_ARGUMENT, "bad CSV " + file + ": " + why);
    }
}
