package dev.tablevault.arrow;

import dev.tablevault.api.BuildContext;
import dev.tablevault.api.Column;
import dev.tablevault.api.ColumnType;
import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.Frame;
import dev.tablevault.api.FrameBuilder;
import dev.tablevault.api.GeneratorBuilder;
import dev.tablevault.api.TableVaultException;
import dev.tablevault.api.TvBuilderException;
import dev.tablevault.engine.builtin.NamedBuiltin;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code arrow} built-in: the rows of an Arrow IPC (file or stream format) or Parquet file, as index or
 * column builder, whole-column ({@link FrameBuilder}) or generator ({@link GeneratorBuilder}). Arguments:
 * {@code path} (required; relative to the working directory), {@code format} ({@code arrow} or {@code parquet};
 * default: told by the file's first bytes). The columns are the spec's {@code changedColumns}, found by name in
 * the file (other columns are ignored); each must load as its declared type ({@code string} and
 * {@code artifact} take text alike). A generator holds one batch at a time and, resumed, skips the committed
 * rows. A missing file or column, another type, or a file that does not read is {@code BAD_BUILDER} naming the
 * file. A ServiceLoader provider of {@link NamedBuiltin}, so every vault with this module knows it by name.
 * Stateless and thread safe.
 */
public final class ArrowLoad implements NamedBuiltin, FrameBuilder, GeneratorBuilder {
    @Override
    public String builtinName() {
        return "arrow";
    }

    @Override
    public Frame build(BuildContext ctx) {
        List<List<Object>> values = new ArrayList<>();
        ctx.columns().forEach(c -> values.add(new ArrayList<>()));
        each(ctx, 0, row -> {
            for (int c = 0; c < row.size(); c++) {
                values.get(c).add(row.get(c));
            }
        });
        return Frame.ofColumns(ctx.columns(), values);
    }

    @Override
    public void generate(BuildContext ctx, long firstRow, RowSink sink) {
        each(ctx, firstRow, sink);
    }

    /** Hands rows from {@code firstRow} on to {@code sink}, one batch in memory, until the end or a stop. */
    private static void each(BuildContext ctx, long firstRow, RowSink sink) {
        Path file = path(ctx);
        ArrowImport.Format format = format(ctx);
        try (ArrowImport in = ArrowImport.open(file, format)) {
            int[] at = positions(ctx, file, in.columns());
            List<List<Object>> batch = new ArrayList<>();
            in.columns().forEach(c -> batch.add(new ArrayList<>()));
            long row = 0;
            for (int n = in.next(batch); n >= 0 && !ctx.stopRequested(); n = in.next(batch)) {
                for (int i = (int) Math.max(0, Math.min(n, firstRow - row)); i < n; i++) {
                    List<Object> out = new ArrayList<>(at.length);
                    for (int c : at) {
                        out.add(batch.get(c).get(i));
                    }
                    sink.accept(out);
                }
                row += n;
                batch.forEach(List::clear);
            }
        } catch (TvBuilderException e) {
            throw e;
        } catch (TableVaultException e) {
            throw new TvBuilderException(ErrorCode.BAD_BUILDER, "builder '" + ctx.builderName() + "': "
                    + e.detail(), e);
        }
    }

    /** Where each of the builder's columns is in the file, checked to load as its declared type. */
    private static int[] positions(BuildContext ctx, Path file, List<Column> inFile) {
        List<Column> want = ctx.columns();
        int[] at = new int[want.size()];
        for (int c = 0; c < at.length; c++) {
            Column w = want.get(c);
            at[c] = -1;
            for (int f = 0; f < inFile.size(); f++) {
                if (inFile.get(f).name().equals(w.name())) {
                    at[c] = f;
                }
            }
            if (at[c] < 0) {
                throw bad(ctx, "column '" + w.name() + "' is not in " + file + ", which has "
                        + inFile.stream().map(Column::name).toList() + "; rename it in changedColumns or in the file");
            }
            ColumnType has = inFile.get(at[c]).type();
            if (has != w.type() && !(text(has) && text(w.type()))) {
                throw bad(ctx, "column '" + w.name() + "' of " + file + " loads as " + has.name().toLowerCase(java.util.Locale.ROOT)
                        + ", but the spec declares it " + w.type().name().toLowerCase(java.util.Locale.ROOT) + "; declare it "
                        + has.name().toLowerCase(java.util.Locale.ROOT) + " under 'types'");
            }
        }
        return at;
    }

    private static boolean text(ColumnType t) {
        return t == ColumnType.STRING || t == ColumnType.ARTIFACT;
    }

    private static Path path(BuildContext ctx) {
        Object p = ctx.arguments().get("path");
        if (p == null || p.toString().isBlank()) {
            throw bad(ctx, "argument 'path' is required: the Arrow IPC or Parquet file to load");
        }
        Path file;
        try {
            file = Path.of(p.toString()).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw bad(ctx, "argument 'path' is not a path: " + e.getMessage());
        }
        if (Files.isDirectory(file)) {
            throw bad(ctx, "argument 'path': " + file + " is a directory; name an Arrow IPC or Parquet file");
        }
        return file;
    }

    private static ArrowImport.Format format(BuildContext ctx) {
        Object f = ctx.arguments().get("format");
        if (f == null) {
            return null;
        }
        try {
            return ArrowImport.Format.parse(f.toString());
        } catch (TableVaultException e) {
            throw bad(ctx, "argument 'format' is '" + f + "'; use arrow or parquet, or leave it out");
        }
    }

    private static TvBuilderException bad(BuildContext ctx, String why) {
        return new TvBuilderException(ErrorCode.BAD_BUILDER, "builder '" + ctx.builderName() + "': " + why);
    }
}
