package dev.tablevault.engine;

import dev.tablevault.engine.runner.RunnerId;
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
import dev.tablevault.api.TableVaultException;
import dev.tablevault.api.TvArgumentException;
import dev.tablevault.api.TvStorageException;
import dev.tablevault.api.VaultStats;
import dev.tablevault.api.VerifyReport;
import dev.tablevault.api.Vault;
import dev.tablevault.api.VaultOptions;
import dev.tablevault.api.WriteOptions;
import dev.tablevault.engine.board.Board;
import dev.tablevault.engine.board.BoardEntry;
import dev.tablevault.engine.codec.Codec;
import dev.tablevault.engine.codec.Records.ProcessRecord;
import dev.tablevault.engine.codec.Records;
import dev.tablevault.engine.codec.Records.InstanceRecord;
import dev.tablevault.engine.codec.Records.LockRecord;
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
import dev.tablevault.engine.remote.VaultServer;
import dev.tablevault.engine.store.Keys;
import dev.tablevault.engine.store.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The {@link Vault} implementation: an open store, its lock manager and its process runner. Thread safe.
 * It runs the writes as processes and hands reads to {@link VaultReads} and process queries to
 * {@link ProcessQueries}; every call runs under {@link #gate} so {@link #close()} waits for calls in flight
 * before it frees native handles.
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
    private final Gate gate;
    private final VaultReads reads;
    private final ProcessQueries queries;
    private List<String> restartFailures = List.of();
    /** The author of the call this thread serves for another OS process (processes it starts record it). */
    private static final ThreadLocal<String> CALLER_AUTHOR = new ThreadLocal<>();
    private volatile VaultServer server;
    private final Board board;

    VaultImpl(Path dir, Store store, VaultOptions options, Clock clock) {
        this.gate = new Gate(dir);
        this.dir = dir;
        this.store = store;
        this.options = options;
        this.clock = clock;
        this.processes = new Processes(this, args -> Ops.fromArgs(args, options.listener()));
        this.locks = new LockManager(processes);
        this.nextKey = new AtomicLong(maxInstanceKey() + 1);
        this.reads = new VaultReads(dir, store, options, gate);
        this.queries = new ProcessQueries(store, options, locks, processes, gate);
        adoptLocks();
        this.board = options.readOnly() || !options.board() ? Board.off() : Board.open(dir, clock);
        showActive();
    }

    /** Rebuilds the board from the store: every active process, as its record has it (the store is the truth). */
    private void showActive() {
        if (!board.on()) {
            return;
        }
        for (ProcessRecord r : processes.activeRecords()) {
            Op.Target t = boardTarget(r.id());
            board.dormant(new BoardEntry(r.id(), r.operation(), t == null ? "" : t.table(),
                    t == null ? "" : t.version(), r.state().name(), r.author(), r.error() == null ? "" : r.error(), "",
                    0, -1, 0, r.started(), clock.millis(), RunnerId.of(r), false));
        }
    }

    /** What process {@code pid} works on, for the board; a BEGIN that cannot be read is logged (verify reports it). */
    private Op.Target boardTarget(String pid) {
        try {
            return processes.target(pid);
        } catch (TableVaultException e) {
            LOG.warn("process {}: the board shows it without its table: {}", pid, e.getMessage());
            return null;
        }
    }

    @Override
    public Board board() {
        return board;
    }

    /** Stops the board's thread when the open fails after the vault object was made. */
    void closeBoard() {
        board.close();
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
        String caller = CALLER_AUTHOR.get();
        return caller != null ? caller : options.author();
    }

    /** Runs {@code call} for another OS process whose vault handle has {@code author}. */
    Object asAuthor(String author, Supplier<Object> call) {
        CALLER_AUTHOR.set(author);
        try {
            return call.get();
        } finally {
            CALLER_AUTHOR.remove();
        }
    }

    /** Serves this vault to other OS processes until {@link #close()}. */
    void serve(VaultServer s) {
        server = s;
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

    private String write(Op op, String processId) {
        return gate.guarded(() -> {
            boolean user = processId != null;
            String pid = user ? Names.processId(processId) : newId();
            String parent = ChildView.parent();
            return parent == null ? processes.run(op, pid, user) : processes.runAsChild(op, pid, user, parent);
        });
    }

    /** This vault as a builder of process {@code parent} sees it; see {@link ChildView#of}. */
    @Override
    public Vault childView(String parent) {
        return ChildView.of(this, parent);
    }

    private static String newId() {
        return UUID.randomUUID().toString();
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
        return gate.guarded(() -> {
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
        return reads.tables();
    }

    @Override
    public List<String> instances(String table, String version, boolean includeTemporary) {
        return reads.instances(table, version, includeTemporary);
    }

    @Override
    public Frame dataframe(String table, ReadOptions o) {
        return reads.dataframe(table, o);
    }

    @Override
    public RowCursor rows(String table, ReadOptions o) {
        return reads.rows(table, o);
    }

    @Override
    public List<String> builders(String table, String version) {
        return reads.builders(table, version);
    }

    @Override
    public BuilderSpec builder(String table, String version, String builderName) {
        return reads.builder(table, version, builderName);
    }

    @Override
    public TableDescription description(String table) {
        return reads.description(table);
    }

    @Override
    public Path artifactFolder(String table, String instanceId) {
        return reads.artifactFolder(table, instanceId);
    }

    @Override
    public InstanceDescription description(String table, String instanceId) {
        return reads.description(table, instanceId);
    }

    @Override
    public Map<String, ProcessInfo> activeProcesses() {
        return queries.activeProcesses();
    }

    @Override
    public List<ProcessInfo> processHistory(int limit) {
        return queries.processHistory(limit);
    }

    @Override
    public ProcessInfo process(String processId) {
        return queries.process(processId);
    }

    @Override
    public List<LogEntryInfo> processLog(String processId) {
        return queries.processLog(processId);
    }

    @Override
    public boolean isProcessComplete(String processId) {
        return queries.isProcessComplete(processId);
    }

    @Override
    public List<LockInfo> locks() {
        return queries.locks();
    }

    @Override
    public VerifyReport verify() {
        return gate.guarded(() -> Verify.verify(this));
    }

    @Override
    public VaultStats stats() {
        return gate.guarded(() -> Verify.stats(this));
    }

    /** Stops serving other processes (each call in flight finishes), then waits for local calls and closes. */
    @Override
    public void close() {
        VaultServer s = server;
        if (s != null) {
            s.close();
        }
        gate.close(() -> {
            board.close();
            store.close();
        });
    }
}
