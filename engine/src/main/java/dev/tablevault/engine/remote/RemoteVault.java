package dev.tablevault.engine.remote;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tablevault.api.BuilderSpec;
import dev.tablevault.api.Column;
import dev.tablevault.api.ColumnVector;
import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.ExecuteOptions;
import dev.tablevault.api.ExecutionListener;
import dev.tablevault.api.Frame;
import dev.tablevault.api.InstanceDescription;
import dev.tablevault.api.InstanceOptions;
import dev.tablevault.api.LockInfo;
import dev.tablevault.api.LogEntryInfo;
import dev.tablevault.api.OpOptions;
import dev.tablevault.api.ProcessInfo;
import dev.tablevault.api.ReadOptions;
import dev.tablevault.api.RowCursor;
import dev.tablevault.api.StopOptions;
import dev.tablevault.api.TableDescription;
import dev.tablevault.api.TableOptions;
import dev.tablevault.api.TableVaultException;
import dev.tablevault.api.TvStorageException;
import dev.tablevault.api.Vault;
import dev.tablevault.api.VaultOptions;
import dev.tablevault.api.VaultStats;
import dev.tablevault.api.VerifyReport;
import dev.tablevault.api.WriteOptions;
import dev.tablevault.engine.process.OpenVault;

import java.io.IOException;
import java.lang.reflect.Type;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/**
 * A vault another OS process owns: every call goes to the owner over its socket and comes back with the owner's
 * result or exception (same class, code and message). When the owner goes away the next call hands over ({@link
 * Owner#handover}): this process takes ownership, and from then on calls its own vault, or connects to the
 * process that did. A call the owner was not sent, or a read, is then simply made again; a write the owner
 * may have applied fails once with {@code OWNER_CHANGED}. An execution's builder code registered in this process
 * runs here, called back by the owner ({@link Executions}, {@link CallerRuns}). Past 400 lines because it
 * carries one small forwarding method for each of the {@code Vault} interface's thirty methods; the wire,
 * the hand-over and the executions live in their own classes.
 */
public final class RemoteVault implements Vault {
    /** Takes ownership of the vault for this process: its vault (now serving others), or null if another holds it. */
    public interface TakeOver {
        Vault tryOwn();
    }

    private static final Type STRINGS = new TypeReference<List<String>>() { }.getType();
    private final Path dir;
    private final VaultOptions options;
    private final Owner owner;

    private RemoteVault(Path dir, VaultOptions options, Owner owner) {
        this.dir = dir;
        this.options = options;
        this.owner = owner;
    }

    /**
     * A client of the vault at {@code dir}, which another OS process owns; if that process does not answer,
     * this one takes over (or waits for whichever does).
     */
    public static Vault connect(Path dir, VaultOptions options, int formatVersion, TakeOver takeOver) {
        Owner o = new Owner(OwnerSocket.of(dir), formatVersion, takeOver);
        int gen = o.generation();
        try {
            o.release(o.connect());
        } catch (IOException e) {
            o.handover(gen);
        }
        return new RemoteVault(dir, options, o);
    }

    /** The OS process serving this handle, or this process's id once it took ownership. */
    public long ownerPid() {
        return owner.local() != null ? ProcessHandle.current().pid() : owner.pid();
    }

    Owner owner() {
        return owner;
    }

    VaultOptions options() {
        return options;
    }

    Path dir() {
        return dir;
    }

    ObjectNode call(String method, Object... args) {
        ObjectNode c = Messages.object();
        c.put("m", method);
        ArrayNode a = c.putArray("a");
        for (Object arg : args) {
            a.add(Messages.tree(arg));
        }
        c.put("author", options.author());
        String parent = PARENT.get();
        if (parent != null) {
            c.put("parent", parent);
        }
        return c;
    }

    /** The process whose builder (running here) makes the calls of this thread, or null. */
    private static final ThreadLocal<String> PARENT = new ThreadLocal<>();

    /**
     * This handle as a builder of process {@code parent} running here sees it: its writes run in the owner as
     * sub-processes of {@code parent} and share its locks; {@code close} does nothing.
     */
    Vault childView(String parent) {
        java.lang.reflect.InvocationHandler h = (proxy, m, args) -> {
            if (m.getName().equals("close") && m.getParameterCount() == 0) {
                return null;
            }
            if (m.getDeclaringClass() == Object.class) {
                return m.getName().equals("toString") ? "Vault(sub-processes of " + parent + ")"
                        : m.invoke(this, args);
            }
            String before = PARENT.get();
            PARENT.set(parent);
            try {
                return m.invoke(this, args);
            } catch (java.lang.reflect.InvocationTargetException e) {
                throw e.getCause();
            } finally {
                if (before == null) {
                    PARENT.remove();
                } else {
                    PARENT.set(before);
                }
            }
        };
        return (Vault) java.lang.reflect.Proxy.newProxyInstance(Vault.class.getClassLoader(),
                new Class<?>[] {Vault.class}, h);
    }

    /** One exchange with the owner; {@code sent} is set by the body once the owner has the whole request. */
    interface Exchange<T> {
        T run(Wire w, boolean[] sent) throws IOException;
    }

    /**
     * Runs {@code local} on this process's vault once it owns the vault, else {@code remote} with the owner. A
     * request not delivered is made again after a hand-over; one delivered whose answer was lost is made again
     * when {@code retriable} and otherwise fails with {@code OWNER_CHANGED}.
     */
    <T> T exchange(Function<Vault, T> local, boolean retriable, String processId, Exchange<T> remote) {
        while (true) {
            Vault v = owner.local();
            if (v != null) {
                String parent = PARENT.get();
                return local.apply(parent != null && v instanceof OpenVault ov ? ov.childView(parent) : v);
            }
            int gen = owner.generation();
            Wire w;
            try {
                w = owner.borrow();
            } catch (IOException e) {
                owner.handover(gen);
                continue;
            }
            boolean[] sent = {false};
            T result;
            try {
                result = remote.run(w, sent);
            } catch (NotRun e) {
                Owner.quietClose(w);
                owner.handover(gen);
                continue;
            } catch (IOException e) {
                Owner.quietClose(w);
                owner.handover(gen);
                if (!sent[0] || retriable) {
                    continue;
                }
                throw ownerChanged(processId, e);
            } catch (Answered e) {
                owner.release(w);
                if (e.error instanceof Error err) {
                    throw err;
                }
                throw (RuntimeException) e.error;
            } catch (RuntimeException | Error e) {
                Owner.quietClose(w); // failed in this process in the middle of a request
                throw e;
            }
            owner.release(w);
            return result;
        }
    }

    private TableVaultException ownerChanged(String processId, IOException e) {
        String now = owner.local() != null ? "this OS process (" + ProcessHandle.current().pid() + ")"
                : "OS process " + owner.pid();
        String retry = processId != null ? "call it again with process id " + processId + ": that resumes it or"
                + " reports how it ended" : "it may or may not have been applied: check (processHistory, 'tv history')"
                + " before calling it again";
        return new TvStorageException(ErrorCode.OWNER_CHANGED, "the OS process that owned vault " + dir + " went away"
                + " during the call (" + e.getMessage() + "); " + now + " owns it now; " + retry, e);
    }

    /** A plain call: one request, one result. */
    <T> T plain(Type result, boolean read, String processId, Function<Vault, T> local, String method,
                Object... args) {
        ObjectNode c = call(method, args);
        return exchange(local, read, processId, (w, sent) -> {
            w.send(Wire.CALL, Messages.bytes(c));
            sent[0] = true;
            @SuppressWarnings("unchecked")
            T r = (T) answer(w, result, null, null);
            return r;
        });
    }

    /**
     * Reads the answer to a call: its result, or its error thrown as {@link Answered}; runs {@code listener} for
     * progress reports on the way. {@code held[0]} keeps what the listener threw, rethrown when the owner reports
     * the execution failed because of it.
     */
    static Object answer(Wire w, Type result, ExecutionListener listener, Throwable[] held) throws IOException {
        return answer(w, result, new Callbacks(null, listener, held));
    }

    /**
     * What a call that may be called back brings: the handle (whose builder code runs for {@code BUILD}
     * requests), the listener, and {@code held[0]}, the first exception the caller's own code threw.
     */
    record Callbacks(RemoteVault rv, ExecutionListener listener, Throwable[] held) {
    }

    /** {@link #answer(Wire, Type, ExecutionListener, Throwable[])}, also running builds for {@code cb.rv()}. */
    static Object answer(Wire w, Type result, Callbacks cb) throws IOException {
        ExecutionListener listener = cb.listener();
        Throwable[] held = cb.held();
        while (true) {
            Wire.Msg m = w.receive();
            switch (m.kind()) {
                case Wire.RESULT -> {
                    return Messages.result(m.body(), result);
                }
                case Wire.ERROR -> {
                    ObjectNode e = Messages.parse(m.body());
                    if (e.path("callback").asBoolean() && held != null && held[0] != null) {
                        throw new Answered(held[0]);
                    }
                    throw new Answered(RemoteErrors.decode(e));
                }
                case Wire.PROGRESS -> progress(w, Messages.parse(m.body()), listener, held);
                case Wire.BUILD -> CallerRuns.serve(w, cb.rv() == null ? null : cb, Messages.parse(m.body()));
                case Wire.GOODBYE -> throw new NotRun();
                default -> throw new Wire.BadFrame("unexpected answer frame of kind " + m.kind());
            }
        }
    }

    static void progress(Wire w, JsonNode p, ExecutionListener listener, Throwable[] held)
            throws IOException {
        if (listener == null) {
            throw new Wire.BadFrame("a progress report for a call without a listener");
        }
        try {
            listener.progress(p.path("builder").asText(), p.path("step").asInt(), p.path("steps").asInt(),
                    p.path("rowsDone").asLong(), p.path("rows").asLong());
        } catch (RuntimeException | Error e) {
            held[0] = e;
            ObjectNode f = Messages.object();
            f.put("what", e.getClass().getName() + ": " + e.getMessage());
            w.send(Wire.ERROR, Messages.bytes(f));
            return;
        }
        w.send(Wire.ACK, new byte[0]);
    }

    /** The owner answered with an error: the connection is fine and the error is the call's. */
    static final class Answered extends RuntimeException {
        private static final long serialVersionUID = 1L;
        /** A RuntimeException or an Error (a listener may throw either). */
        final transient Throwable error;

        Answered(Throwable error) {
            super(null, null, false, false);
            this.error = error;
        }
    }

    /** The owner is closing and did not run the call. */
    static final class NotRun extends IOException {
        private static final long serialVersionUID = 1L;

        NotRun() {
            super("the owner is closing");
        }
    }

    // ---- writes ----

    @Override
    public String createTable(String table, TableOptions o) {
        return plain(String.class, false, o == null ? null : o.processId(), v -> v.createTable(table, o),
                "createTable", table, o);
    }

    @Override
    public String renameTable(String table, String newName, OpOptions o) {
        return plain(String.class, false, o == null ? null : o.processId(), v -> v.renameTable(table, newName, o),
                "renameTable", table, newName, o);
    }

    @Override
    public String deleteTable(String table, OpOptions o) {
        return plain(String.class, false, o == null ? null : o.processId(), v -> v.deleteTable(table, o),
                "deleteTable", table, o);
    }

    @Override
    public String createInstance(String table, InstanceOptions o) {
        return plain(String.class, false, o == null ? null : o.processId(), v -> v.createInstance(table, o),
                "createInstance", table, o);
    }

    @Override
    public String deleteInstance(String table, String instanceId, OpOptions o) {
        return plain(String.class, false, o == null ? null : o.processId(),
                v -> v.deleteInstance(table, instanceId, o), "deleteInstance", table, instanceId, o);
    }

    @Override
    public String putBuilder(String table, String version, BuilderSpec spec, OpOptions o) {
        return plain(String.class, false, o == null ? null : o.processId(),
                v -> v.putBuilder(table, version, spec, o), "putBuilder", table, version, spec, o);
    }

    @Override
    public String deleteBuilder(String table, String version, String builderName, OpOptions o) {
        return plain(String.class, false, o == null ? null : o.processId(),
                v -> v.deleteBuilder(table, version, builderName, o), "deleteBuilder", table, version, builderName, o);
    }

    @Override
    public String writeInstance(String table, Frame frame, WriteOptions o) {
        ObjectNode c = call("writeInstance", table, o);
        if (frame != null) {
            c.set("columns", Messages.tree(frame.columns())); // no columns: the owner fails the call as it would here
        }
        return exchange(v -> v.writeInstance(table, frame, o), false, o == null ? null : o.processId(), (w, sent) -> {
            w.send(Wire.CALL, Messages.bytes(c));
            if (frame != null) {
                for (int from = 0; from < frame.rowCount(); from += RowBatches.ROWS) {
                    RowBatches.send(w, frame, from, Math.min(frame.rowCount(), from + RowBatches.ROWS));
                }
                w.send(Wire.END, new byte[0]);
            }
            sent[0] = true;
            return (String) answer(w, String.class, null, null);
        });
    }

    @Override
    public String executeInstance(String table, ExecuteOptions o) {
        return Executions.execute(this, table, o);
    }

    @Override
    public String stopProcess(String processId, StopOptions o) {
        return plain(String.class, false, o == null ? null : o.processId(), v -> v.stopProcess(processId, o),
                "stopProcess", processId, o);
    }

    @Override
    public String resumeProcess(String processId) {
        return Executions.resume(this, processId);
    }

    @Override
    public String generateProcessId() {
        return UUID.randomUUID().toString(); // what the owner would do: ids are random, not counted
    }

    // ---- reads ----

    @Override
    public List<String> tables() {
        return plain(STRINGS, true, null, Vault::tables, "tables");
    }

    @Override
    public List<String> instances(String table, String version, boolean includeTemporary) {
        return plain(STRINGS, true, null, v -> v.instances(table, version, includeTemporary), "instances", table,
                version, includeTemporary);
    }

    @Override
    public Frame dataframe(String table, ReadOptions o) {
        ObjectNode c = call("dataframe", table, o);
        return exchange(v -> v.dataframe(table, o), true, null, (w, sent) -> {
            w.send(Wire.CALL, Messages.bytes(c));
            sent[0] = true;
            RemoteCursor.Header h = RemoteCursor.header(w);
            List<Column> columns = h.columns();
            int rows = (int) Math.max(0, Math.min(h.rows(), Integer.MAX_VALUE - 8));
            List<ColumnVector.Builder> values = new ArrayList<>();
            columns.forEach(col -> values.add(ColumnVector.builder(col.type(), rows))); // frames decode into these
            while (RemoteCursor.vectorRows(w, columns, values) >= 0) {
                // every rows frame appended
            }
            return Frame.ofVectors(columns, values.stream().map(ColumnVector.Builder::build).toList());
        });
    }

    @Override
    public RowCursor rows(String table, ReadOptions o) {
        return RemoteCursor.open(this, table, o);
    }

    @Override
    public List<String> builders(String table, String version) {
        return plain(STRINGS, true, null, v -> v.builders(table, version), "builders", table, version);
    }

    @Override
    public BuilderSpec builder(String table, String version, String builderName) {
        return plain(BuilderSpec.class, true, null, v -> v.builder(table, version, builderName), "builder", table,
                version, builderName);
    }

    @Override
    public TableDescription description(String table) {
        return plain(TableDescription.class, true, null, v -> v.description(table), "description", table);
    }

    @Override
    public InstanceDescription description(String table, String instanceId) {
        return plain(InstanceDescription.class, true, null, v -> v.description(table, instanceId), "description",
                table, instanceId);
    }

    @Override
    public Path artifactFolder(String table, String instanceId) {
        return plain(Path.class, true, null, v -> v.artifactFolder(table, instanceId), "artifactFolder", table,
                instanceId);
    }

    @Override
    public VerifyReport verify() {
        return plain(VerifyReport.class, true, null, Vault::verify, "verify");
    }

    @Override
    public VaultStats stats() {
        return plain(VaultStats.class, true, null, Vault::stats, "stats");
    }

    @Override
    public Map<String, ProcessInfo> activeProcesses() {
        return plain(new TypeReference<Map<String, ProcessInfo>>() { }.getType(), true, null,
                Vault::activeProcesses, "activeProcesses");
    }

    @Override
    public List<ProcessInfo> processHistory(int limit) {
        return plain(new TypeReference<List<ProcessInfo>>() { }.getType(), true, null, v -> v.processHistory(limit),
                "processHistory", limit);
    }

    @Override
    public ProcessInfo process(String processId) {
        return plain(ProcessInfo.class, true, null, v -> v.process(processId), "process", processId);
    }

    @Override
    public List<LogEntryInfo> processLog(String processId) {
        return plain(new TypeReference<List<LogEntryInfo>>() { }.getType(), true, null, v -> v.processLog(processId),
                "processLog", processId);
    }

    @Override
    public boolean isProcessComplete(String processId) {
        return plain(Boolean.class, true, null, v -> v.isProcessComplete(processId), "isProcessComplete", processId);
    }

    @Override
    public List<LockInfo> locks() {
        return plain(new TypeReference<List<LockInfo>>() { }.getType(), true, null, Vault::locks, "locks");
    }

    @Override
    public void close() {
        owner.close();
    }

    @Override
    public String toString() {
        return "Vault(" + dir + ", served by OS process " + ownerPid() + ")";
    }
}
