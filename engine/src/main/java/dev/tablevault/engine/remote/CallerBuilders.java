package dev.tablevault.engine.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tablevault.api.BuildContext;
import dev.tablevault.api.Builder;
import dev.tablevault.api.Column;
import dev.tablevault.api.ColumnVector;
import dev.tablevault.api.ColumnType;
import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.Frame;
import dev.tablevault.api.FrameBuilder;
import dev.tablevault.api.GeneratorBuilder;
import dev.tablevault.api.TvBuilderException;
import dev.tablevault.api.TvProcessException;
import dev.tablevault.engine.exec.CallerCode;
import dev.tablevault.engine.process.ProcessContext;
import dev.tablevault.engine.process.Sneaky;
import dev.tablevault.engine.runner.RunnerId;

import java.io.IOException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The owner's side of builder code that runs in the calling OS process: for each code name the caller
 * registered (its call lists them with the interfaces they implement and their code versions) a stand-in
 * {@link Builder} that sends a {@code BUILD} frame over the caller's connection (its arguments, resolved here,
 * follow in a rows frame of one OBJECT column) and reads the caller's answer: rows frames, each answered with
 * {@code ACK} or {@code STOP} (a stop was requested, or the rows could not be taken), then {@code END}, or
 * {@code ERROR} with the builder's own failure. A whole-column builder's answer starts with a {@code HEADER}
 * naming its frame's columns. A connection that ends is {@link ProcessContext.RunnerGone}: the execution stops
 * as after a crash of its runner. Used by the thread serving the call, plus the connections that answer the
 * caller's context calls ({@link #answerContext}).
 */
final class CallerBuilders implements CallerCode {
    static final String STOP_QUERY = "@stopRequested";
    static final String VALUES = "@values";
    static final String ARTIFACTS = "@artifactFolder";
    /** The one column a build's arguments travel in (Kryo, as OBJECT values). */
    static final List<Column> ARGS = List.of(new Column("arguments", ColumnType.OBJECT));
    static final Column ROW = new Column("row", ColumnType.LONG);

    private final Wire w;
    private final RunnerId runner;
    private final Map<String, JsonNode> code;
    private final Map<String, BuildContext> building;
    /** The failures of the caller's code thrown here, so the answer marks them as the caller's own. */
    private volatile boolean used;
    private final Set<Throwable> thrown = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));

    private CallerBuilders(Wire w, RunnerId runner, Map<String, JsonNode> code, Map<String, BuildContext> building) {
        this.w = w;
        this.runner = runner;
        this.code = code;
        this.building = building;
    }

    /**
     * The code a call of OS process {@code peer} brings ({@code "builders": {name: {"kinds": [...], "codeVersion":
     * ...}}}); its runner is that process as the OS knows it (pid and start time).
     */
    static CallerBuilders of(Wire w, ObjectNode call, long peer, Map<String, BuildContext> building)
            throws Wire.BadFrame {
        Map<String, JsonNode> code = new java.util.HashMap<>();
        JsonNode b = call.path("builders");
        b.fields().forEachRemaining(e -> code.put(e.getKey(), e.getValue()));
        ProcessHandle h = ProcessHandle.of(peer).orElse(null);
        if (!code.isEmpty() && h == null) {
            throw new Wire.BadFrame("the calling OS process " + peer + " that brings builder code is not running");
        }
        RunnerId who = h == null ? RunnerId.current() : new RunnerId(peer,
                h.info().startInstant().map(Instant::toEpochMilli).orElse(0L));
        return new CallerBuilders(w, who, code, building);
    }

    VaultServer.Caller caller(VaultServer.Caller who) {
        return new VaultServer.Caller(who.author(), who.parent(), code.isEmpty() ? null : this);
    }

    /** True once the execution took code of the caller: it is the runner then. */
    boolean used() {
        return used;
    }

    /** True when {@code e} is a failure of the caller's code. */
    boolean threw(Throwable e) {
        return thrown.contains(e);
    }

    @Override
    public RunnerId runner() {
        return runner;
    }

    @Override
    public Builder builder(String name) {
        JsonNode k = code.get(name);
        if (k == null) {
            return null;
        }
        used = true;
        List<Class<?>> kinds = new ArrayList<>();
        kinds.add(Builder.class);
        for (JsonNode kind : k.path("kinds")) {
            switch (kind.asText()) {
                case "row" -> kinds.add(CallerCode.BatchRowBuilder.class);
                case "frame" -> kinds.add(FrameBuilder.class);
                case "generator" -> kinds.add(GeneratorBuilder.class);
                default -> {
                    // a kind of a newer caller: the handshake's protocol version keeps this from happening
                }
            }
        }
        String version = k.path("codeVersion").asText("");
        InvocationHandler h = (proxy, m, a) -> switch (m.getName()) {
            case "codeVersion" -> version;
            case "build" -> a.length == 3 ? rows(name, (BuildContext) a[0], (RowBatch) a[1], (RowOut) a[2])
                    : a.length == 2 ? oneRow(name, (BuildContext) a[0], (Long) a[1])
                    : frame(name, (BuildContext) a[0]);
            case "generate" -> generate(name, (BuildContext) a[0], (Long) a[1], (GeneratorBuilder.RowSink) a[2]);
            case "toString" -> "builder code '" + name + "' of OS process " + runner.pid();
            case "hashCode" -> System.identityHashCode(proxy);
            case "equals" -> proxy == a[0];
            default -> throw new UnsupportedOperationException(m.getName());
        };
        return (Builder) Proxy.newProxyInstance(CallerBuilders.class.getClassLoader(), kinds.toArray(Class<?>[]::new),
                h);
    }

    private Object rows(String name, BuildContext ctx, RowBatch batch, RowOut out) throws Exception {
        ObjectNode req = request("rows", name, ctx);
        ArrayNode rows = req.putArray("rows");
        for (long r : batch.rows()) {
            rows.add(r);
        }
        req.put("threads", batch.threads()).put("flushMillis", batch.flushMillis());
        List<Column> cols = new ArrayList<>();
        cols.add(ROW);
        cols.addAll(ctx.columns());
        run(ctx, req, batch.arguments(), cols, (values, n) -> {
            for (int i = 0; i < n; i++) {
                List<Object> row = new ArrayList<>(cols.size() - 1);
                for (int c = 1; c < cols.size(); c++) {
                    row.add(values.get(c).get(i));
                }
                out.accept((Long) values.get(0).get(i), row);
            }
        });
        return null;
    }

    private Object oneRow(String name, BuildContext ctx, long row) throws Exception {
        List<List<Object>> got = new ArrayList<>();
        rows(name, ctx, new RowBatch(new long[] {row}, List.of(ctx.arguments()), 1, Long.MAX_VALUE),
                (r, values) -> got.add(values));
        return got.isEmpty() ? null : got.get(0);
    }

    private Object frame(String name, BuildContext ctx) throws Exception {
        ObjectNode req = request("frame", name, ctx);
        List<Column> cols = new ArrayList<>();
        List<ColumnVector.Builder> all = new ArrayList<>();
        Rows vectors = new Rows() {
            @Override
            public int decode(byte[] body, List<Column> columns, List<List<Object>> unused) throws Wire.BadFrame {
                return RowBatches.decodeVectors(body, columns, all); // straight into the frame's vectors
            }

            @Override
            public void take(List<List<Object>> values, int n) {
            }
        };
        run(ctx, req, List.of(ctx.arguments()), cols, vectors, header -> {
            cols.addAll(header);
            header.forEach(c -> all.add(ColumnVector.builder(c.type(), 1024)));
        });
        return Frame.ofVectors(cols, all.stream().map(ColumnVector.Builder::build).toList());
    }

    private Object generate(String name, BuildContext ctx, long firstRow, GeneratorBuilder.RowSink sink)
            throws Exception {
        ObjectNode req = request("generator", name, ctx);
        req.put("firstRow", firstRow);
        List<Column> cols = ctx.columns();
        run(ctx, req, List.of(ctx.arguments()), cols, (values, n) -> {
            for (int i = 0; i < n; i++) {
                List<Object> row = new ArrayList<>(cols.size());
                for (List<Object> col : values) {
                    row.add(col.get(i));
                }
                sink.accept(row);
            }
        });
        return null;
    }

    private ObjectNode request(String kind, String name, BuildContext ctx) {
        ObjectNode r = Messages.object();
        r.put("kind", kind).put("code", name).put("table", ctx.table()).put("version", ctx.version())
                .put("builder", ctx.builderName()).put("processId", ctx.processId()).put("rowCount", ctx.rowCount())
                .put("stop", ctx.stopRequested());
        r.set("columns", Messages.tree(ctx.columns()));
        return r;
    }

    /** Rows of one answer frame, column-major. */
    private interface Rows {
        void take(List<List<Object>> values, int n);

        /** Decodes a rows frame's body for {@link #take}; returns its rows. */
        default int decode(byte[] body, List<Column> cols, List<List<Object>> into) throws Wire.BadFrame {
            return RowBatches.decode(body, cols, into);
        }
    }

    /** The columns a whole-column builder's frame has. */
    private interface Header {
        void take(List<Column> columns);
    }

    private void run(BuildContext ctx, ObjectNode req, List<Map<String, Object>> args, List<Column> cols, Rows rows)
            throws Exception {
        run(ctx, req, args, cols, rows, h -> {
            throw new TvBuilderException(ErrorCode.BAD_BUILDER, "a header in the answer of a " + req.path("kind")
                    + " build");
        });
    }

    /** Sends the request and its arguments and takes the answer; the connection ending is the runner gone. */
    private void run(BuildContext ctx, ObjectNode req, List<Map<String, Object>> args, List<Column> cols, Rows rows,
                     Header header) throws Exception {
        byte[] encoded = arguments(ctx, args);
        building.put(ctx.processId(), ctx);
        try {
            w.send(Wire.BUILD, Messages.bytes(req));
            w.send(Wire.ROWS, encoded);
            answer(ctx, cols, rows, header);
        } catch (IOException e) {
            throw new ProcessContext.RunnerGone("the OS process " + runner.pid() + " running builder '"
                    + ctx.builderName() + "' of process " + ctx.processId() + " went away: " + e.getMessage(), e);
        } finally {
            building.remove(ctx.processId(), ctx);
        }
    }

    private static byte[] arguments(BuildContext ctx, List<Map<String, Object>> args) {
        List<Object> values = new ArrayList<>(args.size());
        args.forEach(a -> values.add(plain(a)));
        byte[] body;
        try {
            body = RowBatches.encode(ARGS, c -> values, 0, values.size());
        } catch (RuntimeException e) {
            throw new TvBuilderException(ErrorCode.BAD_BUILDER, "the arguments of builder '" + ctx.builderName()
                    + "' cannot travel to the OS process that runs its code: " + e.getMessage());
        }
        if (body.length + 1 > Wire.MAX_FRAME) {
            throw new TvBuilderException(ErrorCode.BAD_BUILDER, "the arguments of builder '" + ctx.builderName()
                    + "' take " + body.length + " bytes for " + values.size() + " rows, more than a frame between OS"
                    + " processes may hold (" + Wire.MAX_FRAME + "); run it from the process that owns the vault");
        }
        return body;
    }

    /** {@code v} with its maps and lists copied into plain ones, which Kryo reads back (unmodifiable views not). */
    private static Object plain(Object v) {
        if (v instanceof Map<?, ?> m) {
            Map<Object, Object> out = new java.util.LinkedHashMap<>();
            m.forEach((k, x) -> out.put(k, plain(x)));
            return out;
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            l.forEach(x -> out.add(plain(x)));
            return out;
        }
        return v;
    }

    private void answer(BuildContext ctx, List<Column> cols, Rows rows, Header header) throws Exception {
        Exception failed = null;
        while (true) {
            Wire.Msg m = w.receive();
            switch (m.kind()) {
                case Wire.HEADER -> {
                    @SuppressWarnings("unchecked")
                    List<Column> h = (List<Column>) Messages.value(Messages.parse(m.body()).path("columns"),
                            new com.fasterxml.jackson.core.type.TypeReference<List<Column>>() { }.getType());
                    header.take(h);
                }
                case Wire.ROWS -> {
                    List<List<Object>> values = new ArrayList<>();
                    cols.forEach(c -> values.add(new ArrayList<>()));
                    int n = rows.decode(m.body(), cols, values);
                    if (failed == null) {
                        try {
                            rows.take(values, n);
                        } catch (RuntimeException e) {
                            failed = e; // a stop, a listener's failure: the caller is told to stop, then ends
                        }
                    }
                    w.send(failed != null || ctx.stopRequested() ? Wire.STOP : Wire.ACK, new byte[0]);
                }
                case Wire.END -> {
                    if (failed != null) {
                        throw failed;
                    }
                    return;
                }
                case Wire.ERROR -> {
                    Throwable t = RemoteErrors.decodeAny(Messages.parse(m.body()));
                    thrown.add(t);
                    if (failed != null) {
                        failed.addSuppressed(t);
                        throw failed;
                    }
                    throw Sneaky.<Exception>rethrow(t);
                }
                default -> throw new Wire.BadFrame("expected the answer to a build, got a frame of kind " + m.kind());
            }
        }
    }

    /** Answers a context call of a builder running in the caller: stop requested, values of self, artifacts. */
    static void answerContext(Wire w, String m, ArrayNode args, Map<String, BuildContext> building)
            throws IOException {
        String pid = args.path(0).asText();
        BuildContext ctx = building.get(pid);
        try {
            if (ctx == null) {
                throw new TvProcessException(ErrorCode.PROCESS_STATE, "process " + pid + " is not building with"
                        + " code of the calling OS process now; a build context is valid during its call only");
            }
            ObjectNode r = Messages.object();
            switch (m) {
                case STOP_QUERY -> r.put("v", ctx.stopRequested());
                case ARTIFACTS -> r.put("v", ctx.artifactFolder().toString());
                default -> {
                    String column = args.path(1).asText();
                    long from = args.path(2).asLong();
                    long to = args.path(3).asLong();
                    List<Object> values = new ArrayList<>();
                    for (long row = from; row < to; row++) {
                        values.add(ctx.value(column, row));
                    }
                    w.send(Wire.ROWS, RowBatches.encode(List.of(new Column(column, ColumnType.OBJECT)), c -> values,
                            0, values.size()));
                    return;
                }
            }
            w.send(Wire.RESULT, Messages.bytes(r));
        } catch (RuntimeException e) {
            w.send(Wire.ERROR, Messages.bytes(RemoteErrors.encode(e, false)));
        }
    }
}
