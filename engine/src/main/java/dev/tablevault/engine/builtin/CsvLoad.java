package dev.tablevault.engine.builtin;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.tablevault.api.BuildContext;
import dev.tablevault.api.Column;
import dev.tablevault.api.ColumnType;
import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.Frame;
import dev.tablevault.api.FrameBuilder;
import dev.tablevault.api.GeneratorBuilder;
import dev.tablevault.api.TvBuilderException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The {@code csv} built-in: the rows of a CSV file, as index builder or column builder, whole-column
 * ({@link FrameBuilder}) or generator ({@link GeneratorBuilder}). Arguments: {@code path} (required; relative
 * to the working directory), {@code delimiter} (one character, default {@code ,}), {@code header} (default
 * true). The columns are the spec's {@code changedColumns}: with a header they are found by name (other CSV
 * columns are ignored, every line must have the header's number of fields), without one by position (a line
 * may have more fields than columns, not fewer). Cells parse to the declared type: {@code long},
 * {@code double}, {@code boolean} ({@code true}/{@code false}), ISO-8601 {@code timestamp} (an instant with
 * {@code Z} or an offset) and {@code duration}, Base64 {@code bytes}, {@code string} and {@code artifact} as
 * written; an empty cell is null, empty lines are skipped; {@code object} columns are refused.
 *
 * <p>Reading streams through Jackson's CSV parser over a strict {@link Utf8Reader} (a leading byte order mark
 * is dropped): a generator holds one row at a time and, told {@code firstRow} on a resume, skips that many data
 * rows without building them. A missing file or column, a value that does not parse, text that is not UTF-8, or
 * a row count that differs from the index is a {@link TvBuilderException} ({@code BAD_BUILDER}) naming the file
 * (and the line and column); other I/O errors reach the caller as they are, so an execution with a process id
 * pauses on them. The file must not change while an execution that reads it is paused. Stateless and thread
 * safe.
 */
final class CsvLoad implements FrameBuilder, GeneratorBuilder {
    private static final CsvMapper MAPPER = CsvMapper.builder().enable(CsvParser.Feature.SKIP_EMPTY_LINES).build();

    @Override
    public Frame build(BuildContext ctx) throws IOException {
        List<List<Object>> values = new ArrayList<>();
        ctx.columns().forEach(c -> values.add(new ArrayList<>()));
        try (Rows rows = new Rows(ctx)) {
            for (List<Object> row = rows.next(); row != null; row = rows.next()) {
                for (int c = 0; c < row.size(); c++) {
                    values.get(c).add(row.get(c));
                }
            }
            rows.checkEnd();
        }
        return Frame.ofColumns(ctx.columns(), values);
    }

    @Override
    public void generate(BuildContext ctx, long firstRow, RowSink sink) throws IOException {
        try (Rows rows = new Rows(ctx)) {
            rows.skip(firstRow);
            while (!ctx.stopRequested()) {
                List<Object> row = rows.next();
                if (row == null) {
                    rows.checkEnd();
                    return;
                }
                sink.accept(row);
            }
        }
    }

    /** A cursor over the data rows of the file, typed to the builder's columns. Not thread safe. */
    private static final class Rows implements AutoCloseable {
        private final BuildContext ctx;
        private final List<Column> columns;
        private final Path file;
        private final InputStream in;
        private final JsonParser parser;
        private final int[] fields;
        /** Fields every line must have (the header's count), or at least (no header: the columns'). */
        private final int width;
        private final boolean exactWidth;
        private long line;
        /** Data rows read or skipped so far. */
        private long rows;

        Rows(BuildContext ctx) throws IOException {
            this.ctx = ctx;
            this.columns = ctx.columns();
            for (Column c : columns) {
                if (c.type() == ColumnType.OBJECT) {
                    throw bad(ctx, "column '" + c.name() + "' is declared object, but CSV cells are text; declare"
                            + " it string (or another type) under 'types'");
                }
            }
            this.file = Path.of(path(ctx)).toAbsolutePath().normalize();
            char delimiter = delimiter(ctx);
            boolean header = header(ctx);
            try {
                this.in = Files.newInputStream(file);
            } catch (NoSuchFileException e) {
                throw bad(ctx, "argument 'path': no such file " + file + "; fix the path in the spec (a relative"
                        + " one resolves against the working directory)");
            }
            try {
                this.parser = MAPPER.reader().with(CsvSchema.emptySchema().withColumnSeparator(delimiter))
                        .createParser(new Utf8Reader(in));
                this.fields = new int[columns.size()];
                if (header) {
                    List<String> names = record();
                    if (names == null) {
                        throw bad(ctx, file + " is empty; it needs a header line naming the columns "
                                + names(columns) + " (or set header: false)");
                    }
                    names.replaceAll(String::strip);
                    for (int c = 0; c < columns.size(); c++) {
                        fields[c] = names.indexOf(columns.get(c).name());
                        if (fields[c] < 0) {
                            throw bad(ctx, "column '" + columns.get(c).name() + "' is not in the header of " + file
                                    + ", which names " + names + "; rename it in changedColumns or in the file,"
                                    + " or set header: false to take the columns by position");
                        }
                        if (names.lastIndexOf(columns.get(c).name()) != fields[c]) {
                            throw bad(ctx, "the header of " + file + " names column '" + columns.get(c).name()
                                    + "' twice");
                        }
                    }
                    this.width = names.size();
                    this.exactWidth = true;
                } else {
                    for (int c = 0; c < fields.length; c++) {
                        fields[c] = c;
                    }
                    this.width = columns.size();
                    this.exactWidth = false;
                }
            } catch (IOException | RuntimeException e) {
                in.close();
                throw e;
            }
        }

        /** Skips {@code n} data rows without typing them. */
        void skip(long n) throws IOException {
            while (rows < n) {
                JsonToken t = token();
                if (t == null) {
                    throw bad(ctx, file + " has " + rows + " data rows, but rows 0.." + (n - 1) + " are committed"
                            + " already: the file changed since the execution started; stop the process, or"
                            + " restore the file");
                }
                for (JsonToken x = advance(); x != JsonToken.END_ARRAY; x = advance()) {
                    if (x == null) {
                        throw bad(ctx, file + " ends inside a record");
                    }
                }
                rows++;
            }
        }

        /** The next data row typed to the columns, or null at the end of the file. */
        List<Object> next() throws IOException {
            List<String> cells = record();
            if (cells == null) {
                return null;
            }
            if (ctx.rowCount() >= 0 && rows >= ctx.rowCount()) {
                throw bad(ctx, file + " has more than the " + ctx.rowCount() + " rows of the index (line " + line
                        + " is data row " + rows + ")");
            }
            if (exactWidth ? cells.size() != width : cells.size() < width) {
                throw bad(ctx, file + " line " + line + " has " + cells.size() + " fields; "
                        + (exactWidth ? "the header has " + width : "the builder needs " + width + " columns "
                        + names(columns)));
            }
            List<Object> out = new ArrayList<>(columns.size());
            for (int c = 0; c < columns.size(); c++) {
                out.add(parse(columns.get(c), cells.get(fields[c])));
            }
            rows++;
            return out;
        }

        /** For a column builder: the file had as many rows as the index. */
        void checkEnd() {
            if (ctx.rowCount() >= 0 && rows != ctx.rowCount()) {
                throw bad(ctx, file + " has " + rows + " data rows; the index has " + ctx.rowCount());
            }
        }

        /** The next record's cells, or null at the end; sets {@link #line} to the line it starts on. */
        private List<String> record() throws IOException {
            if (token() == null) {
                return null;
            }
            List<String> cells = new ArrayList<>();
            for (JsonToken t = advance(); t != JsonToken.END_ARRAY; t = advance()) {
                if (t == null) {
                    throw bad(ctx, file + " ends inside a record");
                }
                if (cells.isEmpty()) {
                    line = parser.currentTokenLocation().getLineNr();
                }
                cells.add(parser.getText());
            }
            return cells;
        }

        /** Moves to the start of the next record: START_ARRAY, or null at the end. */
        private JsonToken token() throws IOException {
            JsonToken t = advance();
            if (t != null && t != JsonToken.START_ARRAY) {
                throw bad(ctx, file + " near line " + parser.currentLocation().getLineNr() + ": unexpected " + t);
            }
            return t;
        }

        /** The parser's next token; malformed CSV or text that is not UTF-8 is a builder error naming the file. */
        private JsonToken advance() throws IOException {
            try {
                return parser.nextToken();
            } catch (JsonProcessingException e) {
                throw bad(ctx, file + " is not valid CSV at line " + (e.getLocation() == null ? "?"
                        : e.getLocation().getLineNr()) + ": " + e.getOriginalMessage());
            } catch (Utf8Reader.NotUtf8Exception e) {
                throw new TvBuilderException(ErrorCode.BAD_BUILDER, prefix(ctx) + file + " " + e.getMessage()
                        + "; save the file as UTF-8", e);
            }
        }

        private Object parse(Column col, String cell) {
            if (cell == null || cell.isEmpty()) {
                return null;
            }
            try {
                return col.type().parse(cell);
            } catch (RuntimeException e) {
                throw bad(ctx, file + " line " + line + ", column '" + col.name() + "': '" + cell + "' is not a "
                        + col.type().name().toLowerCase(Locale.ROOT) + " (" + e.getMessage() + ")");
            }
        }

        @Override
        public void close() throws IOException {
            try {
                parser.close();
            } finally {
                in.close();
            }
        }
    }

    private static String path(BuildContext ctx) {
        Object p = ctx.arguments().get("path");
        if (p == null || p.toString().isBlank()) {
            throw bad(ctx, "argument 'path' is required: the CSV file to load");
        }
        // A path that cannot name a file is the spec's error: it must revert, not pause as an I/O error would.
        Path file;
        try {
            file = Path.of(p.toString());
        } catch (InvalidPathException e) {
            throw bad(ctx, "argument 'path' is not a path: " + e.getMessage());
        }
        if (Files.isDirectory(file)) {
            throw bad(ctx, "argument 'path': " + file.toAbsolutePath() + " is a directory; name a CSV file");
        }
        return p.toString();
    }

    private static char delimiter(BuildContext ctx) {
        Object d = ctx.arguments().get("delimiter");
        if (d == null) {
            return ',';
        }
        String s = d.toString();
        if (s.length() != 1 || s.charAt(0) == '"' || s.charAt(0) == '\n' || s.charAt(0) == '\r') {
            throw bad(ctx, "argument 'delimiter' must be one character other than a quote or line break, got '"
                    + s + "'");
        }
        return s.charAt(0);
    }

    private static boolean header(BuildContext ctx) {
        Object h = ctx.arguments().get("header");
        if (h == null) {
            return true;
        }
        if (h instanceof Boolean b) {
            return b;
        }
        return switch (h.toString().strip().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw bad(ctx, "argument 'header' must be true or false, got '" + h + "'");
        };
    }

    private static List<String> names(List<Column> columns) {
        return columns.stream().map(Column::name).toList();
    }

    private static TvBuilderException bad(BuildContext ctx, String what) {
        return new TvBuilderException(ErrorCode.BAD_BUILDER, prefix(ctx) + what);
    }

    private static String prefix(BuildContext ctx) {
        return "builder '" + ctx.builderName() + "' (csv): ";
    }
}
