package dev.tablevault.engine.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.tablevault.api.Column;
import dev.tablevault.api.ColumnVector;
import dev.tablevault.api.ExecuteOptions;
import dev.tablevault.api.ExecutionListener;
import dev.tablevault.api.Frame;
import dev.tablevault.api.ReadOptions;
import dev.tablevault.api.RowCursor;
import dev.tablevault.api.Vault;
import dev.tablevault.api.WriteOptions;
import dev.tablevault.engine.process.ProcessContext;
import dev.tablevault.engine.data.FrameStore;

import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the calls of one server on the owner's vault. A call is {@code {"m": method, "a": [args], "author": ..}};
 * plain calls answer with one result or error frame; {@code rows} and {@code dataframe} answer with a header,
 * rows frames of the stored chunks as they are ({@link RowBatches}) and an end (or an error at any point);
 * {@code writeInstance} is followed by the client's rows frames and an end before it runs;
 * {@code executeInstance} with a listener sends a progress frame for each report and waits for the client's
 * acknowledgement (or its listener's failure, which fails the execution as the listener's exception would).
 */
final class Calls {
    /**
     * The protocol version; a client speaking another is refused at the handshake. 2: the owner calls the
     * caller's builder code back (BUILD, STOP). 3: rows frames hold blocks of stored chunks, and a header names
     * the rows and the partial read's progress.
     */
    static final int PROTOCOL = 3;
    static final String MAGIC = "tablevault";
    private static final Map<String, Method> PLAIN = plainMethods();

    private final Vault vault;
    private final int format;
    private final VaultServer.CallerScope scope;
    /** What each process building with a caller's code sees, by process id, for that caller's context calls. */
    private final Map<String, dev.tablevault.api.BuildContext> building = new java.util.concurrent.ConcurrentHashMap<>();

    Calls(Vault vault, int format, VaultServer.CallerScope scope) {
        this.vault = vault;
        this.format = format;
        this.scope = scope;
    }

    /** Vault methods answered with one value, by {@code name/arity}. */
    private static Map<String, Method> plainMethods() {
        Map<String, Method> m = new HashMap<>();
        for (Method method : Vault.class.getMethods()) {
            String name = method.getName();
            if (!List.of("close", "rows", "dataframe", "writeInstance", "executeInstance", "resumeProcess")
                    .contains(name)) {
                m.put(key(name, method.getParameterCount()), method);
            }
        }
        return Map.copyOf(m);
    }

    static String key(String method, int arity) {
        return method + "/" + arity;
    }

    static boolean streams(ObjectNode call) {
        String m = call.path("m").asText();
        return m.equals("rows") || m.equals("dataframe");
    }

    /** Why a hello is refused, or null to welcome it. */
    String checkHello(ObjectNode h) throws Wire.BadFrame {
        if (!MAGIC.equals(h.path("magic").asText())) {
            throw new Wire.BadFrame("hello without the TableVault magic");
        }
        int protocol = h.path("protocol").asInt(-1);
        int theirs = h.path("format").asInt(-1);
        if (protocol != PROTOCOL) {
            return "the OS process " + ProcessHandle.current().pid() + " owning the vault speaks protocol " + PROTOCOL
                    + ", this one " + protocol + ": use the same TableVault version in both, or close the owner";
        }
        if (theirs != format) {
            return "the vault's owner (OS process " + ProcessHandle.current().pid() + ") reads vault format " + format
                    + ", this engine " + theirs + ": use the same TableVault version in both, or close the owner";
        }
        return null;
    }

    ObjectNode welcome() {
        ObjectNode w = Messages.object();
        w.put("protocol", PROTOCOL);
        w.put("format", format);
        w.put("pid", ProcessHandle.current().pid());
        return w;
    }

    /** Serves one call of OS process {@code peer}; a protocol error is thrown, a failure of the call is answered. */
    void serve(Wire w, ObjectNode call, long peer) throws IOException {
        String m = call.path("m").asText();
        JsonNode a = call.path("a");
        if (!(a instanceof ArrayNode args)) {
            throw new Wire.BadFrame("call of " + m + " without an argument list");
        }
        VaultServer.Caller who = new VaultServer.Caller(call.path("author").asText(null),
                call.path("parent").asText(null), null);
        switch (m) {
            case "rows", "dataframe" -> stream(w, who, text(args, 0), (ReadOptions) arg(args, 1, ReadOptions.class));
            case "writeInstance" -> write(w, call, who, text(args, 0), (WriteOptions) arg(args, 1,
                    WriteOptions.class));
            case "executeInstance" -> execute(w, call, who, text(args, 0), peer);
            case "resumeProcess" -> {
                String pid = text(args, 0);
                CallerBuilders code = CallerBuilders.of(w, call, peer, building);
                answer(w, code.caller(who), () -> vault.resumeProcess(pid), code);
            }
            case CallerBuilders.STOP_QUERY, CallerBuilders.VALUES, CallerBuilders.ARTIFACTS ->
                    CallerBuilders.answerContext(w, m, args, building);
            default -> plain(w, m, args, who);
        }
    }

    private void plain(Wire w, String name, ArrayNode args, VaultServer.Caller author) throws IOException {
        Method method = PLAIN.get(key(name, args.size()));
        if (method == null) {
            throw new Wire.BadFrame("no vault method " + key(name, args.size()));
        }
        Type[] types = method.getGenericParameterTypes();
        Object[] values = new Object[types.length];
        for (int i = 0; i < types.length; i++) {
            values[i] = Messages.value(args.get(i), types[i]);
        }
        answer(w, author, () -> {
            try {
                return method.invoke(vault, values);
            } catch (InvocationTargetException e) {
                throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
            } catch (IllegalAccessException e) {
                throw new IllegalStateException("Vault methods are public", e);
            }
        });
    }

    private void answer(Wire w, VaultServer.Caller caller, java.util.function.Supplier<Object> call)
            throws IOException {
        answer(w, caller, call, null);
    }

    /**
     * Runs {@code call} and answers its result or failure; a failure that came from the caller's own code (its
     * listener, or a builder {@code code} ran for it) is marked so that the caller rethrows its own object.
     */
    private void answer(Wire w, VaultServer.Caller caller, java.util.function.Supplier<Object> call,
                        CallerBuilders code) throws IOException {
        Object result;
        try {
            result = scope.run(caller, call);
        } catch (CallbackFailed e) {
            w.send(Wire.ERROR, Messages.bytes(RemoteErrors.encode(e, true)));
            return;
        } catch (Throwable e) { // a builder's checked exception arrives here unwrapped
            boolean theirs = code != null && code.threw(e);
            if (e instanceof Error err && !theirs) {
                throw err;
            }
            if (e instanceof ProcessContext.RunnerGone) {
                throw new EOFException(e.getMessage()); // the caller went away: no one to answer
            }
            w.send(Wire.ERROR, Messages.bytes(RemoteErrors.encode(e, theirs)));
            return;
        }
        w.send(Wire.RESULT, Messages.result(result));
    }

    private void stream(Wire w, VaultServer.Caller author, String table, ReadOptions o) throws IOException {
        RowCursor opened;
        try {
            opened = (RowCursor) scope.run(author, () -> vault.rows(table, o));
        } catch (RuntimeException e) {
            w.send(Wire.ERROR, Messages.bytes(RemoteErrors.encode(e, false)));
            return;
        }
        try (opened) {
            FrameStore.Cursor cursor = (FrameStore.Cursor) opened; // the owner's vault reads its store
            ObjectNode h = Messages.object();
            h.set("columns", Messages.tree(cursor.columns()));
            h.put("instanceId", cursor.instanceId());
            h.put("rows", cursor.rowCount());
            h.set("progress", Messages.tree(cursor.progress()));
            w.send(Wire.HEADER, Messages.bytes(h));
            RowBatches.Body body = new RowBatches.Body();
            while (true) {
                FrameStore.Cursor.Chunk chunk;
                try {
                    chunk = cursor.hasNext() ? cursor.nextChunk() : null;
                    if (chunk != null) {
                        RowBatches.send(w, body, cursor.columns(), chunk);
                    }
                } catch (RuntimeException e) {
                    w.send(Wire.ERROR, Messages.bytes(RemoteErrors.encode(e, false)));
                    return;
                }
                if (chunk == null) {
                    break;
                }
            }
            body.flush(w);
            w.send(Wire.END, new byte[0]);
        }
    }

    /** Reads the frame the client streams, then writes it; a frame that does not decode is answered. */
    private void write(Wire w, ObjectNode call, VaultServer.Caller author, String table, WriteOptions o)
            throws IOException {
        if (!call.has("columns")) {
            answer(w, author, () -> vault.writeInstance(table, null, o));
            return;
        }
        @SuppressWarnings("unchecked")
        List<Column> columns = (List<Column>) Messages.value(call.path("columns"),
                new TypeReference<List<Column>>() { }.getType());
        List<ColumnVector.Builder> values = new ArrayList<>(columns.size());
        columns.forEach(c -> values.add(ColumnVector.builder(c.type(), 1024)));
        RuntimeException failed = null;
        while (true) {
            Wire.Msg m = w.receive();
            if (m.kind() == Wire.END) {
                break;
            }
            if (m.kind() != Wire.ROWS) {
                throw new Wire.BadFrame("expected rows of writeInstance, got a frame of kind " + m.kind());
            }
            if (failed == null) {
                try {
                    RowBatches.decodeVectors(m.body(), columns, values); // straight into the frame's vectors
                } catch (RuntimeException e) {
                    failed = e; // an OBJECT class this process lacks: answered once every frame has arrived
                }
            }
        }
        if (failed != null) {
            w.send(Wire.ERROR, Messages.bytes(RemoteErrors.encode(failed, false)));
            return;
        }
        answer(w, author, () -> vault.writeInstance(table, Frame.ofVectors(columns,
                values.stream().map(ColumnVector.Builder::build).toList()), o));
    }

    private void execute(Wire w, ObjectNode call, VaultServer.Caller who, String table, long peer)
            throws IOException {
        CallerBuilders code = CallerBuilders.of(w, call, peer, building);
        VaultServer.Caller caller = code.caller(who);
        JsonNode o = call.path("options");
        if (o.isMissingNode()) {
            answer(w, caller, () -> vault.executeInstance(table, null), code);
            return;
        }
        ExecutionListener listener = o.path("listener").asBoolean() ? progress(w, code) : null;
        ExecuteOptions options;
        try {
            options = new ExecuteOptions(o.path("version").asText(), o.path("processId").asText(null),
                    o.path("checkpointRows").asInt(), o.path("checkpointMillis").asLong(), o.path("force").asBoolean(),
                    listener);
        } catch (RuntimeException e) {
            throw new Wire.BadFrame("bad execute options: " + e.getMessage());
        }
        answer(w, caller, () -> vault.executeInstance(table, options), code);
    }

    /** A listener that reports to the client and waits for its answer. */
    private static ExecutionListener progress(Wire w, CallerBuilders code) {
        return (builder, step, steps, rowsDone, rows) -> {
            ObjectNode p = Messages.object();
            p.put("builder", builder).put("step", step).put("steps", steps).put("rowsDone", rowsDone)
                    .put("rows", rows);
            try {
                w.send(Wire.PROGRESS, Messages.bytes(p));
                Wire.Msg m = w.receive();
                if (m.kind() == Wire.ACK) {
                    return;
                }
                if (m.kind() == Wire.ERROR) {
                    throw new CallbackFailed(Messages.parse(m.body()).path("what").asText());
                }
                throw new Wire.BadFrame("expected the answer to a progress report, got a frame of kind " + m.kind());
            } catch (IOException e) {
                if (code.used()) { // it runs builder code of this execution: as after its crash
                    throw new ProcessContext.RunnerGone("the calling OS process went away during an execution", e);
                }
                throw new UncheckedIOException("the calling OS process went away during an execution", e);
            }
        };
    }

    private static String text(ArrayNode args, int i) throws Wire.BadFrame {
        return (String) arg(args, i, String.class);
    }

    private static Object arg(ArrayNode args, int i, Class<?> type) throws Wire.BadFrame {
        if (i >= args.size()) {
            throw new Wire.BadFrame("call with " + args.size() + " arguments, expected more than " + i);
        }
        return Messages.value(args.get(i), type);
    }

    /** The caller's listener threw: the execution fails as it would have in the caller. */
    static final class CallbackFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        CallbackFailed(String what) {
            super(what);
        }
    }
}
