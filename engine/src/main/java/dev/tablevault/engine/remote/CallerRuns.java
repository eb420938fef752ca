package dev.tablevault.engine.remote;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tablevault.api.Builder;
import dev.tablevault.api.Column;
import dev.tablevault.api.Frame;
import dev.tablevault.api.FrameBuilder;
import dev.tablevault.api.GeneratorBuilder;
import dev.tablevault.api.RowBuilder;
import dev.tablevault.engine.exec.RowThreads;
import dev.tablevault.engine.exec.Values;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The caller's side of a {@code BUILD} (see {@link CallerBuilders}): runs this process's builder code for the
 * owner and sends back what it made. Row-wise code runs the batch's rows on the spec's {@code threads} (one: the
 * calling thread), and finished rows travel, checked as the owner would check them, at least every
 * {@link #FLUSH_ROWS} rows or {@code flushMillis}; a generator's rows travel the same way; a whole-column
 * builder's frame travels after a header with its columns. Every rows frame waits for the owner's answer, which
 * may be a progress report for this call's listener first; a {@code STOP} ends the build (rows still running are
 * dropped, a generator's sink throws). A failure of the code is sent after the rows finished before it, and kept
 * in {@code held} so the caller rethrows the very object. Runs on the thread that made the call.
 */
final class CallerRuns {
    /** Rows a rows frame of a build holds at most. */
    static final int FLUSH_ROWS = 1024;

    private final Wire w;
    private final RemoteVault.Callbacks cb;
    private final ObjectNode req;
    private final List<Column> columns;
    private final String builder;
    /** Set once the owner said stop (or the request did); read by the builder's threads. */
    private volatile boolean stopped;

    private CallerRuns(Wire w, RemoteVault.Callbacks cb, ObjectNode req) throws Wire.BadFrame {
        this.w = w;
        this.cb = cb;
        this.req = req;
        @SuppressWarnings("unchecked")
        List<Column> cols = (List<Column>) Messages.value(req.path("columns"),
                new TypeReference<List<Column>>() { }.getType());
        this.columns = cols;
        this.builder = req.path("builder").asText();
        this.stopped = req.path("stop").asBoolean();
    }

    /** Serves one {@code BUILD} request of the owner; its arguments frame follows it. */
    static void serve(Wire w, RemoteVault.Callbacks cb, ObjectNode req) throws IOException {
        if (cb == null) {
            throw new Wire.BadFrame("a build request for a call without builder code");
        }
        new CallerRuns(w, cb, req).run();
    }

    private void run() throws IOException {
        Wire.Msg a = w.receive();
        if (a.kind() != Wire.ROWS) {
            throw new Wire.BadFrame("expected the arguments of a build, got a frame of kind " + a.kind());
        }
        List<List<Object>> args = new ArrayList<>();
        args.add(new ArrayList<>());
        RowBatches.decode(a.body(), CallerBuilders.ARGS, args);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> arguments = (List<Map<String, Object>>) (List<?>) args.get(0);
        String code = req.path("code").asText();
        Builder b = cb.rv().options().builders().get(code);
        if (b == null) {
            throw new Wire.BadFrame("a build with code '" + code + "', which this process did not register");
        }
        CallerContext step = new CallerContext(cb.rv(), req, arguments.get(0), this::stopped);
        Throwable failure = null;
        try {
            switch (req.path("kind").asText()) {
                case "rows" -> failure = rows((RowBuilder) b, step, arguments);
                case "frame" -> frame(((FrameBuilder) b).build(step));
                case "generator" -> failure = generate((GeneratorBuilder) b, step);
                default -> throw new Wire.BadFrame("a build of kind " + req.path("kind"));
            }
        } catch (IOException e) {
            throw e;
        } catch (Exception | Error e) {
            failure = e;
        }
        if (failure != null) {
            fail(failure);
        } else {
            w.send(Wire.END, new byte[0]);
        }
    }

    boolean stopped() {
        return stopped;
    }

    private void fail(Throwable e) throws IOException {
        if (cb.held()[0] == null) {
            cb.held()[0] = e;
        }
        w.send(Wire.ERROR, Messages.bytes(RemoteErrors.encode(e, false)));
    }

    /** Builds the batch's rows; returns the first failure (the rows finished before it are sent). */
    private Throwable rows(RowBuilder rb, CallerContext step, List<Map<String, Object>> arguments)
            throws IOException, InterruptedException {
        JsonNode rowsNode = req.path("rows");
        long[] rows = new long[rowsNode.size()];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = rowsNode.get(i).asLong();
        }
        boolean perRow = arguments.size() == rows.length; // else one map for every row
        Pending out = new Pending(true, req.path("flushMillis").asLong(Long.MAX_VALUE));
        int threads = Math.max(1, req.path("threads").asInt(1));
        if (threads == 1) {
            for (int i = 0; i < rows.length && !stopped; i++) {
                try {
                    out.add(rows[i], rb.build(step.forRow(perRow ? arguments.get(i) : null), rows[i]));
                } catch (Exception | Error e) {
                    out.flush();
                    return e;
                }
            }
            out.flush();
            return null;
        }
        int[] next = {0};
        Throwable failure;
        try {
            failure = RowThreads.run("tablevault-build-" + builder, threads, threads * 8,
                    () -> next[0] < rows.length ? next[0]++ : -1, this::stopped,
                    i -> rb.build(step.forRow(perRow ? arguments.get((int) i) : null), rows[(int) i]),
                    (i, values) -> {
                        if (!stopped) {
                            out.add(rows[(int) i], values); // rows finished after a failure still count
                        }
                    });
        } catch (Error e) {
            failure = e; // sent after the rows handed on before it
        }
        if (!stopped) {
            out.flush();
        }
        return failure;
    }

    private void frame(Frame f) throws IOException {
        if (f == null) {
            throw new NullPointerException("builder '" + builder + "' returned no frame");
        }
        ObjectNode h = Messages.object();
        h.set("columns", Messages.tree(f.columns()));
        w.send(Wire.HEADER, Messages.bytes(h));
        for (int from = 0; from < f.rowCount() && !stopped; from += FLUSH_ROWS * 4) {
            send((a, b) -> RowBatches.encode(f, a, b), from, Math.min(f.rowCount(), from + FLUSH_ROWS * 4)); // unboxed
        }
    }

    /** Thrown into a generator by its sink once the owner said stop. */
    private static final class Stopped extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Stopped() {
            super("the owner stopped the build", null, false, false);
        }
    }

    private Throwable generate(GeneratorBuilder gb, CallerContext step) throws IOException {
        Pending out = new Pending(false, req.path("flushMillis").asLong(Long.MAX_VALUE));
        long[] next = {req.path("firstRow").asLong()};
        try {
            gb.generate(step, next[0], values -> {
                if (stopped) {
                    throw new Stopped();
                }
                try {
                    out.add(next[0]++, values);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                if (stopped) {
                    throw new Stopped();
                }
            });
        } catch (Stopped s) {
            return null;
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        } catch (Exception | Error e) {
            if (!stopped) {
                out.flush();
            }
            return e;
        }
        out.flush();
        return null;
    }

    /** Finished rows waiting to travel, column-major (with the row number first for row-wise code). */
    private final class Pending {
        private final boolean numbered;
        private final long flushNanos;
        private final List<Column> cols = new ArrayList<>();
        private List<List<Object>> values;
        private long last = System.nanoTime();

        Pending(boolean numbered, long flushMillis) {
            this.numbered = numbered;
            this.flushNanos = TimeUnit.MILLISECONDS.toNanos(Math.min(flushMillis, Long.MAX_VALUE / 2_000_000));
            if (numbered) {
                cols.add(CallerBuilders.ROW);
            }
            cols.addAll(columns);
            reset();
        }

        private void reset() {
            values = new ArrayList<>();
            cols.forEach(c -> values.add(new ArrayList<>()));
        }

        void add(long row, List<Object> rowValues) throws IOException {
            List<Object> checked = Values.check(builder, columns, row, rowValues);
            int c = 0;
            if (numbered) {
                values.get(c++).add(row);
            }
            for (Object v : checked) {
                values.get(c++).add(v);
            }
            if (values.get(0).size() >= FLUSH_ROWS || System.nanoTime() - last >= flushNanos) {
                flush();
            }
        }

        void flush() throws IOException {
            int n = values.get(0).size();
            if (n > 0 && !stopped) {
                List<List<Object>> v = values;
                send((a, b) -> RowBatches.encode(cols, v::get, a, b), 0, n);
            }
            reset();
            last = System.nanoTime();
        }
    }

    /** A rows frame's body of rows {@code [from, to)}. */
    @FunctionalInterface
    private interface Encoder {
        byte[] rows(int from, int to);
    }

    /**
     * Sends rows {@code [from, to)}, encoded by {@code encode}, halved while a frame would be too big,
     * each frame waiting for its answer.
     */
    private void send(Encoder encode, int from, int to) throws IOException {
        byte[] body = encode.rows(from, to);
        if (body.length + 1 > Wire.MAX_FRAME && to - from > 1) {
            int mid = (from + to) >>> 1;
            send(encode, from, mid);
            send(encode, mid, to);
            return;
        }
        w.send(Wire.ROWS, body);
        while (true) {
            Wire.Msg m = w.receive();
            switch (m.kind()) {
                case Wire.ACK -> {
                    return;
                }
                case Wire.STOP -> {
                    stopped = true;
                    return;
                }
                case Wire.PROGRESS -> RemoteVault.progress(w, Messages.parse(m.body()), cb.listener(), cb.held());
                default -> throw new Wire.BadFrame("expected the answer to rows of a build, got a frame of kind "
                        + m.kind());
            }
        }
    }
}
