package dev.tablevault.engine;

import dev.tablevault.api.BuildContext;
import dev.tablevault.api.Column;
import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.TvBuilderException;
import dev.tablevault.api.TvStorageException;
import dev.tablevault.engine.store.Chunks;
import dev.tablevault.engine.store.Keys;
import dev.tablevault.engine.store.Store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@link BuildContext} of one builder step. Reads of the instance being built come from committed cells
 * of the steps before it, through a small chunk cache. Thread safe.
 */
final class ExecContext implements BuildContext {
    private static final int CACHED_CHUNKS = 32;
    private final ProcessContext process;
    private final String table;
    private final String version;
    private final Spec spec;
    private final long rows;
    private final long key;
    private final List<Column> readable;
    private final Path artifacts;
    private final Map<Long, List<Object>> cache = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, List<Object>> e) {
            return size() > CACHED_CHUNKS;
        }
    };

    ExecContext(ProcessContext process, String table, String version, Spec spec, long rows, long key,
                List<Column> readable, Path artifacts) {
        this.process = process;
        this.table = table;
        this.version = version;
        this.spec = spec;
        this.rows = rows;
        this.key = key;
        this.readable = readable;
        this.artifacts = artifacts;
    }

    @Override
    public String table() {
        return table;
    }

    @Override
    public String version() {
        return version;
    }

    @Override
    public String builderName() {
        return spec.name();
    }

    @Override
    public String processId() {
        return process.pid;
    }

    @Override
    public List<Column> columns() {
        return spec.columns();
    }

    @Override
    public Map<String, Object> arguments() {
        return Collections.unmodifiableMap(spec.arguments());
    }

    @Override
    public long rowCount() {
        return rows;
    }

    @Override
    public Object value(String column, long row) {
        int c = -1;
        for (int i = 0; i < readable.size(); i++) {
            if (readable.get(i).name().equals(column)) {
                c = i;
            }
        }
        if (c < 0) {
            throw new TvBuilderException(ErrorCode.BAD_BUILDER, "builder '" + spec.name() + "' read column '"
                    + column + "', which is not built before it; readable: "
                    + readable.stream().map(Column::name).toList() + " (declare a dependency on its builder)");
        }
        if (row < 0 || row >= rows) {
            throw new TvBuilderException(ErrorCode.BAD_BUILDER, "builder '" + spec.name() + "' read row " + row
                    + " of column '" + column + "'; the instance has rows 0.." + (rows - 1));
        }
        long chunk = row / Chunks.ROWS;
        long cacheKey = ((long) c << 40) | chunk;
        List<Object> values;
        synchronized (cache) {
            values = cache.get(cacheKey);
        }
        if (values == null) {
            Store s = process.vault.store();
            byte[] v = s.get(s.data, Keys.cell(key, c, chunk));
            values = new ArrayList<>(Chunks.ROWS);
            if (v != null) {
                Chunks.decode(readable.get(c).type(), v, values);
            }
            synchronized (cache) {
                cache.put(cacheKey, values);
            }
        }
        int at = (int) (row % Chunks.ROWS);
        return at < values.size() ? values.get(at) : null;
    }

    @Override
    public Path artifactFolder() {
        try {
            return Files.createDirectories(artifacts);
        } catch (IOException e) {
            throw new TvStorageException(ErrorCode.IO, "cannot create the artifact folder " + artifacts + ": " + e, e);
        }
    }

    @Override
    public boolean stopRequested() {
        return process.stop != null;
    }
}
