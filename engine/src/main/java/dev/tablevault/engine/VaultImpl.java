package dev.tablevault.engine;

import dev.tablevault.api.BuilderSpec;
import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.ExecuteOptions;
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
import dev.tablevault.api.TvArgumentException;
import dev.tablevault.api.TvStorageException;
import dev.tablevault.api.VaultStats;
import dev.tablevault.api.VerifyReport;
import dev.tablevault.api.Vault;
import dev.tablevault.api.VaultOptions;
import dev.tablevault.api.WriteOptions;
import dev.tablevault.engine.codec.Codec;
import dev.tablevault.engine.codec.Records;
import dev.tablevault.engine.codec.Records.InstanceRecord;
import dev.tablevault.engine.codec.Records.LockRecord;
import dev.tablevault.engine.codec.Records.ProcessRecord;
import dev.tablevault.engine.codec.Records.TableRecord;
import dev.tablevault.engine.data.Artifacts;
import dev.tablevault.engine.data.Catalog;
import dev.tablevault.engine.data.FrameStore;
import dev.tablevault.engine.data.Names;
import dev.tablevault.engine.exec.BuilderSpecs;
import dev.tablevault.engine.exec.ExecuteInstance;
import dev.tablevault.engine.lock.LockManager;
import dev.tablevault.engine.ops.InstanceOps;
import dev.tablevault.engine.ops.TableOps;
import dev.tablevault.engine.ops.WriteInstance;
import dev.tablevault.engine.process.Op;
import dev.tablevault.engine.process.OpenVault;
import dev.tablevault.engine.process.Processes;
import dev.tablevault.engine.process.StopOp;
import dev.tablevault.engine.store.Keys;
import dev.tablevault.engine.store.Store;
import dev.tablevault.engine.store.View;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * The {@link Vault} implementation: an open store, its lock manager and its process runner. Thread safe.
 * Every call holds a read lock of {@link #gate} so {@link #close()} waits for calls in flight before it frees
 * native handles.
 */
final class VaultImpl implements Vault, OpenVault {
    private static final Logger LOG = LoggerFactory.getLogger(VaultImpl.class);
    private final Path dir;
    private final Store store;
    private final VaultOptions options;
    private final Clock clock;
    private final LockManager locks;
    private final Processes processes;
    private final AtomicLong nextKey;
    private final ReentrantReadWriteLock gate = new ReentrantReadWriteLock();
    private volatile boolean closed;
    private List<String> restartFailures = List.of();

    VaultImpl(Path dir, Store store, VaultOptions options, Clock clock) {
        this.dir = dir;
        this.store = store;
        this.options = options;
        this.clock = clock;
        this.processes = new Processes(this, Ops::fromArgs);
        this.locks = new LockManager(processes);
        this.nextKey = new AtomicLong(maxInstanceKey() + 1);
        adoptLocks();
    }

    /** The monitor deletions hold while they decide which cell keys no instance uses any more. */
    @Override
    public Object cellKeys() {
        return cellKeys;
    }

    private final Object cellKeys = new Object();

    private long maxInstanceKey() {
        long[] max = {0};
        byte[] last = store.lastKey(store.data);
        if (last != null) {
            max[0] = Keys.cellInstance(last);
        }
        store.scan(store.meta, Keys.prefix("I"), (k, v) -> {
            InstanceRecord r = Codec.decode(v, InstanceRecord.class, "instance");
            max[0] = Math.max(max[0], r.key());
            r.columnKeys().forEach(ck -> max[0] = Math.max(max[0], ck));
            return true;
        });
        return max[0];
    }

    private void adoptLocks() {
        Set<String> active = new HashSet<>();
        processes.activeRecords().forEach(r -> active.add(r.id()));
        store.scan(store.locks, new byte[0], (k, v) -> {
            LockRecord lr = Codec.decode(v, LockRecord.class, "lock");
            if (active.contains(lr.processId())) {
                locks.adopt(lr.processId(), lr.resource(), lr.mode());
            } else {
                LOG.warn("lock record {} of {} has no active process; 'tv verify' reports it", lr.resource(),
                        lr.processId());
            }
            return true;
        });
    }

    void restart() {
        restartFailures = List.copyOf(processes.restartAll());
    }

    /** What the restart on open could not finish, one line per process. */
    List<String> restartFailures() {
        return restartFailures;
    }

    // ---- internals used by operations ----

    @Override
    public Store store() {
        return store;
    }

    @Override
    public LockManager lockManager() {
        return locks;
    }

    @Override
    public Processes processes() {
        return processes;
    }

    @Override
    public VaultOptions options() {
        return options;
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public String author() {
        return options.author();
    }

    @Override
    public long nextInstanceKey() {
        return nextKey.getAndIncrement();
    }

    @Override
    public Path dir() {
        return dir;
    }

    @Override
    public void checkWritable() {
        if (options.readOnly()) {
            throw new TvStorageException(ErrorCode.READ_ONLY, "vault " + dir + " is open read-only; open it without"
                    + " readOnly(true) to write");
        }
    }


    private <T> T guarded(Supplier<T> body) {
        gate.readLock().lock();
        try {
            if (closed) {
                throw new TvStorageException(ErrorCode.VAULT_CLOSED, "vault " + dir + " is closed; open it again");
            }
            return body.get();
        } finally {
            gate.readLock().unlock();
        }
    }

    private String write(Op op, String processId) {
        return guarded(() -> {
            boolean user = processId != null;
            String pid = user ? Names.processId(processId) : newId();
            String parent = CHILD_OF.get();
            return parent == null ? processes.run(op, pid, user) : processes.runAsChild(op, pid, user, parent);
        });
    }

    /** The parent process of writes made on this thread through a {@link #childView}. */
    private static final ThreadLocal<String> CHILD_OF = new ThreadLocal<>();

    /**
     * This vault as a builder of process {@code parent} sees it: every write runs as a sub-process of
     * {@code parent} and shares its locks; reads are the vault's; {@code close} does nothing (the vault stays
     * the application's). Valid while {@code parent} runs.
     */
    @Override
    public Vault childView(String parent) {
        InvocationHandler h = (proxy, m, args) -> {
            if (m.getName().equals("close") && m.getParameterCount() == 0) {
                return null;
            }
            if (m.getDeclaringClass() == Object.class) {
                return m.getName().equals("toString") ? "Vault(sub-processes of " + parent + ")" : m.invoke(this, args);
            }
            String before = CHILD_OF.get();
            CHILD_OF.set(parent);
            try {
                return m.invoke(this, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            } finally {
                if (before == null) {
                    CHILD_OF.remove();
                } else {
                    CHILD_OF.set(before);
                }
            }
        };
        return (Vault) Proxy.newProxyInstance(Vault.class.getClassLoader(), new Class<?>[] {Vault.class}, h);
    }

    private static String newId() {
        return UUID.randomUUID().toString();
    }

    /** A version, or the id of an executed instance, whose builders are kept under it. */
    private static void versionOrId(String versionOrId) {
        if (versionOrId != null && versionOrId.contains("_") && !versionOrId.startsWith("TEMP_")) {
            Names.instance(versionOrId);
        } else {
            Names.version(versionOrId);
        }
    }

    private static void requireOptions(Object options) {
        if (options == null) {
            throw new TvArgumentException(ErrorCode.BAD_ARGUMENT, "options must not be null; pass *.defaults()");
        }
    }

    // ---- writes ----

    @Override
    public String createTable(String table, TableOptions o) {
        requireOptions(o);
        return write(new TableOps.CreateTable(new Records.CreateTableArgs(table, o.sideEffects(),
                o.multipleArtifacts(), o.description())), o.processId());
    }

    @Override
    public String renameTable(String table, String newName, OpOptions o) {
        requireOptions(o);
        return write(new TableOps.RenameTable(new Records.RenameTableArgs(table, newName)), o.processId());
    }

    @Override
    public String deleteTable(String table, OpOptions o) {
        requireOptions(o);
        return write(new TableOps.DeleteTable(new Records.DeleteTableArgs(table)), o.processId());
    }

    @Override
    public String createInstance(String table, InstanceOptions o) {
        requireOptions(o);
        return write(new InstanceOps.CreateInstance(new Records.CreateInstanceArgs(table, o.version(), o.originId(),
                o.originTable(), o.externalEdit(), o.copy(), o.description())), o.processId());
    }

    @Override
    public String deleteInstance(String table, String instanceId, OpOptions o) {
        requireOptions(o);
        return write(new InstanceOps.DeleteInstance(new Records.DeleteInstanceArgs(table, instanceId)), o.processId());
    }

    @Override
    public String putBuilder(String table, String version, BuilderSpec spec, OpOptions o) {
        requireOptions(o);
        Names.table(table);
        String name = BuilderSpecs.validate(table, spec, options.builders());
        return write(new InstanceOps.PutBuilder(new Records.PutBuilderArgs(table, version, name,
                spec.format().name(), spec.text())), o.processId());
    }

    @Override
    public String deleteBuilder(String table, String version, String builderName, OpOptions o) {
        requireOptions(o);
        return write(new InstanceOps.DeleteBuilder(new Records.DeleteBuilderArgs(table, version, builderName)),
                o.processId());
    }

    @Override
    public String writeInstance(String table, Frame frame, WriteOptions o) {
        requireOptions(o);
        return write(new WriteInstance(table, o.version(), frame), o.processId());
    }

    @Override
    public String executeInstance(String table, ExecuteOptions o) {
        requireOptions(o);
        return write(new ExecuteInstance(new Records.ExecuteArgs(table, o.version(), o.checkpointRows(),
                o.checkpointMillis(), o.force()), o.listener()), o.processId());
    }

    @Override
    public String stopProcess(String processId, StopOptions o) {
        requireOptions(o);
        return write(new StopOp(new Records.StopArgs(processId, o.materialize(), o.force())), o.processId());
    }

    @Override
    public String resumeProcess(String processId) {
        return guarded(() -> {
            checkWritable();
            return processes.resume(Names.processId(processId));
        });
    }

    @Override
    public String generateProcessId() {
        return newId();
    }

    // ---- reads ----

    @Override
    public List<String> tables() {
        return guarded(() -> new Catalog(store, store).tableNames());
    }

    @Override
    public List<String> instances(String table, String version, boolean includeTemporary) {
        Names.table(table);
        if (version != null) {
            Names.version(version);
        }
        return guarded(() -> {
            Catalog cat = new Catalog(store, store);
            cat.requireTable(table);
            List<String> out = new ArrayList<>();
            for (InstanceRecord r : cat.instances(table)) {
                if ((version == null || version.equals(r.version())) && (includeTemporary || !r.temporary())) {
                    out.add(r.id());
                }
            }
            return out;
        });
    }

    @Override
    public Frame dataframe(String table, ReadOptions o) {
        Names.table(table);
        return guarded(() -> {
            try (View v = store.view()) {
                InstanceRecord r = new Catalog(store, v).pick(table, o);
                return FrameStore.read(store, v, r);
            }
        });
    }

    @Override
    public RowCursor rows(String table, ReadOptions o) {
        Names.table(table);
        return guarded(() -> {
            View v = store.view();
            try {
                return new FrameStore.Cursor(v, new Catalog(store, v).pick(table, o));
            } catch (RuntimeException e) {
                v.close();
                throw e;
            }
        });
    }

    @Override
    public List<String> builders(String table, String version) {
        Names.table(table);
        versionOrId(version);
        return guarded(() -> {
            Catalog cat = new Catalog(store, store);
            cat.requireTable(table);
            return cat.builders(table, version).stream().map(Records.BuilderRecord::name).sorted().toList();
        });
    }

    @Override
    public BuilderSpec builder(String table, String version, String builderName) {
        Names.table(table);
        versionOrId(version);
        Names.builder(builderName);
        return guarded(() -> {
            byte[] v = store.get(store.meta, Keys.builder(table, version, builderName));
            if (v == null) {
                throw new TvArgumentException(ErrorCode.NOT_FOUND, "builder '" + builderName + "' does not exist on "
                        + Names.temp(version) + " of table '" + table + "'; list them with builders()");
            }
            Records.BuilderRecord r = Codec.decode(v, Records.BuilderRecord.class, "builder " + builderName);
            return new BuilderSpec(r.text(), BuilderSpec.Format.valueOf(r.format()));
        });
    }

    @Override
    public TableDescription description(String table) {
        Names.table(table);
        return guarded(() -> {
            TableRecord t = new Catalog(store, store).requireTable(table);
            return new TableDescription(t.name(), t.description(), t.sideEffects(), t.multipleArtifacts(),
                    Instant.ofEpochMilli(t.created()), t.artifactInstance());
        });
    }

    @Override
    public Path artifactFolder(String table, String instanceId) {
        Names.table(table);
        Names.instance(instanceId);
        return guarded(() -> {
            InstanceRecord r = instanceRecord(table, instanceId);
            if (r.key() == 0 && r.temporary() && r.externalEdit()) {
                Path staging = Artifacts.staging(dir, table, instanceId);
                if (options.readOnly()) {
                    return staging;
                }
                try {
                    Files.createDirectories(staging);
                } catch (IOException e) {
                    throw Store.fileFailure(dir, "cannot create artifact folder " + staging, e);
                }
                return staging;
            }
            if (r.key() == 0) {
                throw new TvArgumentException(ErrorCode.NOT_FOUND, "instance '" + instanceId + "' of table '" + table
                        + "' holds no data yet, so it has no artifact folder");
            }
            return Artifacts.folder(dir, r.key());
        });
    }

    /** An instance's record, its table checked first (so a missing table is named as such). */
    private InstanceRecord instanceRecord(String table, String instanceId) {
        Catalog cat = new Catalog(store, store);
        cat.requireTable(table);
        return cat.requireInstance(table, instanceId);
    }

    private static Map<String, Instant> columnTimes(InstanceRecord r) {
        Map<String, Instant> out = new LinkedHashMap<>();
        for (int c = 0; !r.temporary() && c < r.columns().size(); c++) {
            out.put(r.columns().get(c).name(), Instant.ofEpochMilli(r.timeOf(c)));
        }
        return out;
    }

    @Override
    public InstanceDescription description(String table, String instanceId) {
        Names.table(table);
        Names.instance(instanceId);
        return guarded(() -> {
            InstanceRecord r = instanceRecord(table, instanceId);
            return new InstanceDescription(r.table(), r.id(), r.version(), r.temporary(), r.externalEdit(),
                    r.originTable(), r.originId(), r.description(), List.copyOf(r.columns()),
                    List.copyOf(r.changedColumns()), r.rows(), r.success(), r.active(),
                    r.temporary() ? null : Instant.ofEpochMilli(r.changedTime()),
                    r.temporary() ? null : Instant.ofEpochMilli(r.materializedTime()), r.processId(),
                    r.dependencies().stream().map(d -> d.table() + "/" + d.instanceId()).distinct().toList(),
                    columnTimes(r));
        });
    }

    @Override
    public Map<String, ProcessInfo> activeProcesses() {
        return guarded(processes::activeInfos);
    }

    @Override
    public List<ProcessInfo> processHistory(int limit) {
        if (limit < 1) {
            throw new TvArgumentException(ErrorCode.BAD_ARGUMENT, "history limit must be >= 1, got " + limit);
        }
        return guarded(() -> processes.history(limit));
    }

    @Override
    public ProcessInfo process(String processId) {
        Names.processId(processId);
        return guarded(() -> processes.info(processId));
    }

    @Override
    public List<LogEntryInfo> processLog(String processId) {
        Names.processId(processId);
        return guarded(() -> {
            processes.info(processId);
            return processes.log(processId).stream().map(e -> new LogEntryInfo(e.seq(), e.kind(), e.step(),
                    Instant.ofEpochMilli(e.time()), String.valueOf(e.payload()))).toList();
        });
    }

    @Override
    public boolean isProcessComplete(String processId) {
        Names.processId(processId);
        return guarded(() -> processes.finished(processId) != null);
    }

    @Override
    public List<LockInfo> locks() {
        return guarded(() -> {
            List<LockInfo> out = new ArrayList<>();
            if (options.readOnly()) {
                store.scan(store.locks, new byte[0], (k, v) -> {
                    LockRecord lr = Codec.decode(v, LockRecord.class, "lock");
                    ProcessRecord pr = processes.active(lr.processId());
                    out.add(new LockInfo(lr.resource(), lr.mode(), lr.processId(), pr == null ? null : pr.state()));
                    return true;
                });
            } else {
                for (LockManager.Held h : locks.all()) {
                    out.add(new LockInfo(h.resource(), h.mode(), h.processId(),
                            processes.describe(h.processId()).state()));
                }
            }
            return out;
        });
    }

    @Override
    public VerifyReport verify() {
        return guarded(() -> Verify.verify(this));
    }

    @Override
    public VaultStats stats() {
        return guarded(() -> Verify.stats(this));
    }

    @Override
    public void close() {
        gate.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            store.close();
        } finally {
            gate.writeLock().unlock();
        }
    }
}
