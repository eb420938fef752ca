package dev.tablevault.engine.remote;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tablevault.api.BuildContext;
import dev.tablevault.api.Column;
import dev.tablevault.api.ColumnType;
import dev.tablevault.api.Vault;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * What builder code running in the calling OS process sees ({@link CallerRuns}): the build request's table,
 * version, builder, process, columns and row count; arguments the owner resolved (per row for a row-wise
 * builder whose references depend on the row); {@link #value} reads of columns built before, fetched from the
 * owner a chunk of {@link #CHUNK} rows at a time and cached (the latest {@link #CACHED} chunks); {@link
 * #stopRequested} from the owner's answers and, at most every {@link #STOP_CHECK_MILLIS}, by asking it; {@link
 * #vault} the caller's own handle, whose writes run as sub-processes of the executing process. Thread safe.
 */
final class CallerContext implements BuildContext {
    static final int CHUNK = 1024;
    static final int CACHED = 64;
    static final long STOP_CHECK_MILLIS = 100;

    private final RemoteVault rv;
    private final ObjectNode req;
    private final List<Column> columns;
    private final Map<String, Object> arguments;
    private final BooleanSupplier stopSeen;
    private final Shared shared;

    /** What the contexts of one build share: the value cache, the stop flag, the artifact folder. */
    private static final class Shared {
        final Map<String, List<Object>> chunks = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, List<Object>> e) {
                return size() > CACHED;
            }
        };
        long stopCheckedNanos = System.nanoTime();
        boolean stop;
        Path artifacts;
    }

    CallerContext(RemoteVault rv, ObjectNode req, Map<String, Object> arguments, BooleanSupplier stopSeen)
            throws Wire.BadFrame {
        this.rv = rv;
        this.req = req;
        @SuppressWarnings("unchecked")
        List<Column> cols = (List<Column>) Messages.value(req.path("columns"),
                new TypeReference<List<Column>>() { }.getType());
        this.columns = List.copyOf(cols);
        this.arguments = arguments;
        this.stopSeen = stopSeen;
        this.shared = new Shared();
    }

    private CallerContext(CallerContext step, Map<String, Object> arguments) {
        this.rv = step.rv;
        this.req = step.req;
        this.columns = step.columns;
        this.arguments = arguments;
        this.stopSeen = step.stopSeen;
        this.shared = step.shared;
    }

    /** The context of one row: its own arguments, or the step's when {@code rowArguments} is null. */
    CallerContext forRow(Map<String, Object> rowArguments) {
        return rowArguments == null ? this : new CallerContext(this, rowArguments);
    }

    @Override
    public String table() {
        return req.path("table").asText();
    }

    @Override
    public String version() {
        return req.path("version").asText();
    }

    @Override
    public String builderName() {
        return req.path("builder").asText();
    }

    @Override
    public String processId() {
        return req.path("processId").asText();
    }

    @Override
    public List<Column> columns() {
        return columns;
    }

    @Override
    public Map<String, Object> arguments() {
        return arguments;
    }

    @Override
    public long rowCount() {
        return req.path("rowCount").asLong();
    }

    @Override
    public Object value(String column, long row) {
        boolean inRange = row >= 0 && row < rowCount();
        long from = inRange ? row - row % CHUNK : row; // out of range: the owner's context says so
        long to = inRange ? Math.min(rowCount(), from + CHUNK) : row + 1;
        String key = column + "\0" + from;
        List<Object> chunk;
        synchronized (shared) {
            chunk = shared.chunks.get(key);
        }
        if (chunk == null) {
            chunk = fetch(column, from, to);
            synchronized (shared) {
                shared.chunks.put(key, chunk);
            }
        }
        return chunk.get((int) (row - from));
    }

    private List<Object> fetch(String column, long from, long to) {
        ObjectNode c = rv.call(CallerBuilders.VALUES, processId(), column, from, to);
        return rv.exchange(v -> {
            throw gone();
        }, true, null, (w, sent) -> {
            w.send(Wire.CALL, Messages.bytes(c));
            sent[0] = true;
            Wire.Msg m = w.receive();
            if (m.kind() == Wire.ERROR) {
                throw new RemoteVault.Answered(RemoteErrors.decode(Messages.parse(m.body())));
            }
            if (m.kind() != Wire.ROWS) {
                throw new Wire.BadFrame("expected values of a build, got a frame of kind " + m.kind());
            }
            List<List<Object>> into = new ArrayList<>();
            into.add(new ArrayList<>());
            RowBatches.decode(m.body(), List.of(new Column(column, ColumnType.OBJECT)), into);
            return into.get(0);
        });
    }

    private dev.tablevault.api.TvProcessException gone() {
        return new dev.tablevault.api.TvProcessException(dev.tablevault.api.ErrorCode.PROCESS_STATE, "process "
                + processId() + " no longer runs in the OS process that owned the vault; its build context is gone");
    }

    @Override
    public Path artifactFolder() {
        synchronized (shared) {
            if (shared.artifacts == null) {
                shared.artifacts = Path.of(rv.<String>plain(String.class, true, null, v -> {
                    throw gone();
                }, CallerBuilders.ARTIFACTS, processId()));
            }
            return shared.artifacts;
        }
    }

    @Override
    public boolean stopRequested() {
        if (stopSeen.getAsBoolean()) {
            return true;
        }
        synchronized (shared) {
            if (!shared.stop && System.nanoTime() - shared.stopCheckedNanos
                    >= TimeUnit.MILLISECONDS.toNanos(STOP_CHECK_MILLIS)) {
                shared.stopCheckedNanos = System.nanoTime();
                shared.stop = rv.<Boolean>plain(Boolean.class, true, null, v -> {
                    throw gone();
                }, CallerBuilders.STOP_QUERY, processId());
            }
            return shared.stop;
        }
    }

    @Override
    public Vault vault() {
        return rv.childView(processId());
    }
}
