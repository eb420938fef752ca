package dev.tablevault.engine.builtin;

import dev.tablevault.api.BuildContext;
import dev.tablevault.api.Builder;
import dev.tablevault.api.Column;
import dev.tablevault.api.ColumnType;
import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.Frame;
import dev.tablevault.api.FrameBuilder;
import dev.tablevault.api.GeneratorBuilder;
import dev.tablevault.api.RowBuilder;
import dev.tablevault.api.TvBuilderException;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.ServiceLoader;
import java.util.TreeSet;

/**
 * The builders every vault knows by name, for the CLI and the demo. Stateless and thread safe.
 * <ul>
 *   <li>{@code range}: rows {@code start} (default 0) to {@code start + count - 1} in one LONG column;
 *   whole-column (at most 10,000,000 rows: the column is built in memory) or generator (streamed, at most
 *   {@link Integer#MAX_VALUE} rows).</li>
 *   <li>{@code random}: a row-wise or generated string of {@code length} (default 8, at most 1,000,000) letters,
 *   determined by {@code seed} (default 0) and the row.</li>
 *   <li>{@code external}: a row-wise stand-in for a slow, flaky service; returns {@code "ok-<row>"} after
 *   {@code latencyMillis}, and fails with {@link ExternalFailure} at the rows in {@code failAtRows}, while the
 *   file {@code failWhileFileExists} exists, or with probability {@code failProbability} (seeded by
 *   {@code seed} and the row).</li>
 *   <li>{@code template}: row-wise; each column's value is the argument {@code template} (a list: one per
 *   column), references resolved for the row, converted to the column's type (text is parsed).</li>
 *   <li>{@code copy}: whole-column, usable as the index builder; the argument {@code from} is a reference
 *   whose result (one column or a table) gives the columns by position, e.g.
 *   {@code from: "<<orders(v1).{id,total}>>"}.</li>
 *   <li>{@code csv}: the rows of the CSV file {@code path} (optional {@code delimiter}, default {@code ,};
 *   {@code header}, default true) typed to the spec's columns, found by header name or by position;
 *   whole-column or generator, as index or column builder; a resumed generator skips the committed rows while
 *   streaming. See {@code CsvLoad}.</li>
 * </ul>
 * Bounds on an argument are checked before anything is allocated from it, at {@code putBuilder} for a literal
 * ({@link #checkArguments}) and again at execution, where a reference has resolved.
 */
public final class Builtins {
    /** The most rows a whole-column {@code range} builds: it holds them all in memory, a generator streams. */
    static final long WHOLE_COLUMN_RANGE_ROWS = 10_000_000;
    /** The longest text {@code random} makes. */
    static final long RANDOM_LENGTH = 1_000_000;

    /** The error the {@code external} builder simulates: from outside the engine, so it pauses a process. */
    public static final class ExternalFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ExternalFailure(String message) {
            super(message);
        }
    }

    private static final Map<String, Builder> OWN = Map.of("range", new Range(), "random", new RandomText(),
            "external", new External(), "template", new TemplateText(), "copy", new Copy(), "csv",
            new CsvLoad());

    /** The built-ins and the {@link NamedBuiltin} providers on the class path, found once. */
    private static final class All {
        static final Map<String, Builder> MAP = load();

        private static Map<String, Builder> load() {
            Map<String, Builder> all = new HashMap<>(OWN);
            for (NamedBuiltin b : ServiceLoader.load(NamedBuiltin.class, Builtins.class.getClassLoader())) {
                all.putIfAbsent(b.builtinName(), b);
            }
            return Map.copyOf(all);
        }
    }

    private Builtins() {
    }

    /** The built-in builder called {@code name} (a {@link NamedBuiltin} provider's too), or null. */
    public static Builder get(String name) {
        return All.MAP.get(name);
    }

    public static List<String> names() {
        return All.MAP.keySet().stream().sorted().toList();
    }

    /**
     * Checks the arguments a spec gives literally to built-in {@code code} against the bounds execution enforces,
     * so that {@code putBuilder} refuses what could never run; an argument holding a reference is checked once
     * it resolves, at execution. Does nothing for other codes.
     *
     * @param builder the spec's name, for messages
     * @param mode the spec's mode: {@code whole-column}, {@code row-wise} or {@code generator}
     * @throws TvBuilderException {@code BAD_BUILDER} naming the argument and its bounds
     */
    public static void checkArguments(String builder, String code, String mode, Map<String, Object> arguments) {
        Map<String, Object> literal = new HashMap<>(arguments);
        literal.values().removeIf(v -> v instanceof String s && s.contains("<<"));
        switch (code) {
            case "range" -> {
                if (!mode.equals("row-wise") && literal.containsKey("count")) {
                    long count = Range.count(builder, literal, mode.equals("whole-column"));
                    if (literal.containsKey("start")) {
                        Range.start(builder, literal, count);
                    }
                }
            }
            case "random" -> RandomText.length(builder, literal);
            default -> {
            }
        }
    }

    static long longArg(BuildContext ctx, String name, Long dflt) {
        return longArg(ctx.builderName(), ctx.arguments(), name, dflt);
    }

    private static long longArg(String builder, Map<String, Object> arguments, String name, Long dflt) {
        Object v = arguments.get(name);
        if (v == null) {
            if (dflt == null) {
                throw new TvBuilderException(ErrorCode.BAD_BUILDER, "builder '" + builder
                        + "': argument '" + name + "' is required");
            }
            return dflt;
        }
        if (v instanceof Number n && n.doubleValue() == n.longValue()) {
            return n.longValue();
        }
        try {
            return Long.parseLong(v.toString().trim());
        } catch (NumberFormatException e) {
            throw new TvBuilderException(ErrorCode.BAD_BUILDER, "builder '" + builder + "': argument '"
                    + name + "' must be a whole number, got '" + v + "'");
        }
    }

    /** The whole-number argument {@code name}, checked to lie in {@code min..max}; {@code hint} ends the error. */
    private static long bounded(String builder, Map<String, Object> arguments, String name, Long dflt, long min,
                                long max, String hint) {
        long v = longArg(builder, arguments, name, dflt);
        if (v < min || v > max) {
            throw new TvBuilderException(ErrorCode.BAD_BUILDER, "builder '" + builder + "': argument '" + name
                    + "' must be " + min + ".." + max + ", got " + v + hint);
        }
        return v;
    }

    private static final class Range implements FrameBuilder, GeneratorBuilder {
        @Override
        public Frame build(BuildContext ctx) {
            long count = count(ctx.builderName(), ctx.arguments(), true);
            long start = start(ctx.builderName(), ctx.arguments(), count);
            List<Object> values = new ArrayList<>((int) count);
            for (long i = 0; i < count; i++) {
                values.add(start + i);
            }
            return Frame.ofColumns(List.of(new Column(column(ctx), ColumnType.LONG)), List.of(values));
        }

        @Override
        public void generate(BuildContext ctx, long firstRow, RowSink sink) {
            long count = count(ctx.builderName(), ctx.arguments(), false);
            long start = start(ctx.builderName(), ctx.arguments(), count);
            for (long i = firstRow; i < count && !ctx.stopRequested(); i++) {
                sink.accept(List.of(start + i));
            }
        }

        /** {@code count}: a whole column is built in memory, so it is bounded far below what a generator streams. */
        static long count(String builder, Map<String, Object> arguments, boolean wholeColumn) {
            return wholeColumn
                    ? bounded(builder, arguments, "count", null, 0, WHOLE_COLUMN_RANGE_ROWS, "; mode whole-column holds"
                    + " the column in memory, use mode generator, which streams up to " + Integer.MAX_VALUE + " rows")
                    : bounded(builder, arguments, "count", null, 0, Integer.MAX_VALUE, "");
        }

        /** {@code start}, such that the last value, {@code start + count - 1}, is still a LONG (no wrap-around). */
        static long start(String builder, Map<String, Object> arguments, long count) {
            long start = longArg(builder, arguments, "start", 0L);
            if (count > 0 && start > Long.MAX_VALUE - (count - 1)) {
                throw new TvBuilderException(ErrorCode.BAD_BUILDER, "builder '" + builder + "': argument 'start' "
                        + start + " with count " + count + " runs past the largest LONG (" + Long.MAX_VALUE
                        + "); lower start to at most " + (Long.MAX_VALUE - (count - 1)));
            }
            return start;
        }

        private static String column(BuildContext ctx) {
            Object c = ctx.arguments().get("column");
            return c == null ? "id" : c.toString();
        }
    }

    private static final class RandomText implements RowBuilder, GeneratorBuilder {
        /** The longest text: a cell, not a file. */

        @Override
        public List<Object> build(BuildContext ctx, long row) {
            return List.of(text(ctx, row));
        }

        @Override
        public void generate(BuildContext ctx, long firstRow, RowSink sink) {
            for (long r = firstRow; r < ctx.rowCount() && !ctx.stopRequested(); r++) {
                sink.accept(List.of(text(ctx, r)));
            }
        }

        static int length(String builder, Map<String, Object> arguments) {
            return (int) bounded(builder, arguments, "length", 8L, 0, RANDOM_LENGTH, "");
        }

        private static String text(BuildContext ctx, long row) {
            int length = length(ctx.builderName(), ctx.arguments());
            Random rnd = new Random(longArg(ctx, "seed", 0L) * 1_000_003L + row);
            StringBuilder sb = new StringBuilder((int) length);
            for (int i = 0; i < length; i++) {
                sb.append((char) ('a' + rnd.nextInt(26)));
            }
            return sb.toString();
        }
    }

    private static final class External implements RowBuilder {
        @Override
        public List<Object> build(BuildContext ctx, long row) throws InterruptedException {
            long latency = longArg(ctx, "latencyMillis", 0L);
            if (latency > 0) {
                Thread.sleep(latency); // the simulated service's latency, not synchronization
            }
            Object rows = ctx.arguments().get("failAtRows");
            if (rows instanceof List<?> l && failAt(ctx, l).contains(row)) {
                throw new ExternalFailure("simulated external failure at row " + row + " (failAtRows)");
            }
            Object flag = ctx.arguments().get("failWhileFileExists");
            if (flag != null && Files.exists(path(ctx, "failWhileFileExists", flag))) {
                throw new ExternalFailure("simulated external failure at row " + row + ": " + flag + " exists");
            }
            Object p = ctx.arguments().get("failProbability");
            if (p != null) {
                double prob = probability(ctx, p);
                if (new Random(longArg(ctx, "seed", 0L) * 1_000_003L + row).nextDouble() < prob) {
                    throw new ExternalFailure("simulated external failure at row " + row + " (failProbability "
                            + prob + ")");
                }
            }
            return List.of("ok-" + row);
        }

        /** The rows of {@code failAtRows}; anything but whole numbers is the spec's error, not a failure. */
        private static TreeSet<Long> failAt(BuildContext ctx, List<?> rows) {
            TreeSet<Long> out = new TreeSet<>();
            for (Object o : rows) {
                try {
                    out.add(Long.parseLong(String.valueOf(o).strip()));
                } catch (NumberFormatException e) {
                    throw new TvBuilderException(ErrorCode.BAD_BUILDER, "builder '" + ctx.builderName() + "': argument"
                            + " 'failAtRows' must list row numbers, got '" + o + "'");
                }
            }
            return out;
        }

        private static double probability(BuildContext ctx, Object p) {
            try {
                return Double.parseDouble(p.toString());
            } catch (NumberFormatException e) {
                throw new TvBuilderException(ErrorCode.BAD_BUILDER, "builder '" + ctx.builderName() + "': argument"
                        + " 'failProbability' must be a number, got '" + p + "'");
            }
        }

        private static Path path(BuildContext ctx, String name, Object p) {
            try {
                return Path.of(p.toString());
            } catch (InvalidPathException e) {
                throw new TvBuilderException(ErrorCode.BAD_BUILDER, "builder '" + ctx.builderName() + "': argument '"
                        + name + "' is not a path: " + e.getMessage());
            }
        }
    }

    private static final class TemplateText implements RowBuilder {
        @Override
        public List<Object> build(BuildContext ctx, long row) {
            Object t = ctx.arguments().get("template");
            List<Column> cols = ctx.columns();
            List<?> values = t instanceof List<?> l ? l : java.util.Collections.singletonList(t);
            if (!ctx.arguments().containsKey("template") || values.size() != cols.size()) {
                throw new TvBuilderException(ErrorCode.BAD_BUILDER, "builder '" + ctx.builderName() + "': argument"
                        + " 'template' must be one text per column of " + cols.stream().map(Column::name).toList());
            }
            List<Object> out = new ArrayList<>(cols.size());
            for (int i = 0; i < cols.size(); i++) {
                out.add(convert(ctx, cols.get(i), values.get(i), row));
            }
            return out;
        }
    }

    private static final class Copy implements FrameBuilder {
        @Override
        public Frame build(BuildContext ctx) {
            Object from = ctx.arguments().get("from");
            List<Column> cols = ctx.columns();
            List<List<Object>> values = new ArrayList<>();
            if (from instanceof Frame f && f.columnCount() == cols.size()) {
                for (int c = 0; c < cols.size(); c++) {
                    values.add(f.column(c));
                }
            } else if (cols.size() == 1 && !(from instanceof Frame)) {
                values.add(from instanceof List<?> l ? new ArrayList<>(l)
                        : from == null ? new ArrayList<>() : new ArrayList<>(List.of(from)));
            } else {
                throw new TvBuilderException(ErrorCode.BAD_BUILDER, "builder '" + ctx.builderName() + "': argument"
                        + " 'from' must be a reference giving " + cols.size() + " column(s) for "
                        + cols.stream().map(Column::name).toList() + ", got "
                        + (from instanceof Frame f ? f.columnCount() + " columns" : String.valueOf(from)));
            }
            List<List<Object>> converted = new ArrayList<>();
            for (int c = 0; c < cols.size(); c++) {
                List<Object> col = new ArrayList<>(values.get(c).size());
                for (int r = 0; r < values.get(c).size(); r++) {
                    col.add(convert(ctx, cols.get(c), values.get(c).get(r), r));
                }
                converted.add(col);
            }
            return Frame.ofColumns(cols, converted);
        }
    }

    /** A value for {@code col}: kept when it fits, text for text columns, parsed from text otherwise. */
    static Object convert(BuildContext ctx, Column col, Object v, long row) {
        if (v == null || col.type().accepts(v)) {
            return v;
        }
        String text = v.toString();
        try {
            if (v instanceof Number n && (col.type() == ColumnType.LONG || col.type() == ColumnType.DOUBLE)) {
                if (col.type() == ColumnType.DOUBLE) {
                    return n.doubleValue();
                }
                if (n.doubleValue() == n.longValue()) {
                    return n.longValue();
                }
            }
            return col.type().parse(text);
        } catch (RuntimeException e) {
            throw new TvBuilderException(ErrorCode.BAD_BUILDER, "builder '" + ctx.builderName() + "': value '" + text
                    + "' for column '" + col.name() + "' at row " + row + " is not a " + col.type());
        }
    }
}
