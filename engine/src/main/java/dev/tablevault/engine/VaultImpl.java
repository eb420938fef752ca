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
import dev.tablevault.engine.board.Board;
import dev.tablevault.engine.codec.Records;
import dev.tablevault.engine.data.Names;
import dev.tablevault.engine.exec.BuilderSpecs;
import dev.tablevault.engine.exec.ExecuteInstance;
import dev.tablevault.engine.lock.LockTable;
import dev.tablevault.engine.ops.InstanceOps;
import dev.tablevault.engine.ops.TableOps;
import dev.tablevault.engine.ops.WriteInstance;
import dev.tablevault.engine.process.Adoption;
import dev.tablevault.engine.process.Op;
import dev.tablevault.engine.process.OpenVault;
import dev.tablevault.engine.process.Processes;
import dev.tablevault.engine.process.StopOp;
import dev.tablevault.engine.remote.VaultServer;
import dev.tablevault.engine.store.Backend;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The {@link Vault} implementation: an open store, its lock manager and its process runner. Thread safe.
 * It runs the writes as processes and hands reads to {@link VaultReads} and process queries to
 * {@link ProcessQueries}; every call runs under {@link #gate} so {@link #close()} waits for calls in flight
 * before it frees native handles.
 */
final class VaultImpl implements Vault, OpenVault {
    private final Path dir;
    private final Backend store;
    private final VaultOptions options;
    private final Clock clock;
    private final LockTable locks;
    private final Processes processes;
    /** The folder holding {@code artifacts/}: the vault directory, or on a shared vault its artifact root. */
    private final Path artifactHome;
    private final Gate gate;
    private final VaultReads reads;
    private final ProcessQueries queries;
    private List<String> restartFailures = List.of();
    private volatile VaultServer server;
    /** On a shared vault open for writing: this host's sweeps and adoption of orphaned processes, or null. */
    private volatile Adoption adoption;
    private final Board board;

    /**
     * @param dir the vault directory, or for a shared vault ({@link Backend#sharedOwners()}) this host's local
     *            folder for it (the live board)
     */
    VaultImpl(Path dir, Backend store, VaultOptions options, Clock clock) {
        this.gate = new Gate(store.sharedOwners() ? store.location() : dir.toString());
        this.dir = dir;
        this.store = store;
        this.options = options;
        this.clock = clock;
        this.processes = new Processes(this, args -> Ops.fromArgs(args, options.listener(), Callers.code()));
        this.locks = store.lockTable(processes);
        this.artifactHome = store.sharedOwners() && options.artifactRoot() != null ? options.artifactRoot() : dir;
        OpenState.seedInstanceKeys(store);
        this.reads = new VaultReads(artifactHome, store, options, gate);
        this.queries = new ProcessQueries(store, options, locks, processes, gate);
        OpenState.adoptLocks(store, processes, locks);
        this.board = options.readOnly() || !options.board() ? Board.off() : Board.open(dir, clock);
        OpenState.showActive(board, processes, clock);
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

    void restart() {
        restartFailures = List.copyOf(processes.restartAll());
    }

    /**
     * Starts this host's sweeps and its adoption of orphaned processes ({@link Adoption}), every third of the lease
     * and at least every second, so a dead host's processes resume here within about its lease and a second.
     */
    void adoptOrphans() {
        Duration every = options.leaseTtl().dividedBy(3);
        adoption = Adoption.start(store, every.compareTo(Duration.ofSeconds(1)) < 0 ? every : Duration.ofSeconds(1),
                pid -> gate.guarded(() -> processes.adopt(pid)));
    }

    /** What the restart on open could not finish, one line per process. */
    List<String> restartFailures() {
        return restartFailures;
    }

    /** See {@link TableVault#runs}. */
    Map<String, Backend.Run> runs() {
        return queries.runs();
    }

    // ---- internals used by operations ----

    @Override
    public Backend store() {
        return store;
    }

    @Override
    public LockTable lockManager() {
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
        return Callers.author(options.author());
    }

    /** Serves this vault to other OS processes until {@link #close()}. */
    void serve(VaultServer s) {
        server = s;
    }

    @Override
    public long nextInstanceKey() {
        return store.newInstanceKey();
    }

    @Override
    public Path dir() {
        return dir;
    }

    @Override
    public Path artifactHome() {
        return artifactHome;
    }

    @Override
    public void requireArtifactRoot(String what) {
        if (store.sharedOwners() && options.artifactRoot() == null) {
            throw new TvArgumentException(ErrorCode.BAD_ARGUMENT, what + " keeps files, but the vault at "
                    + store.location() + " is shared by hosts and has no artifact root: open it with"
                    + " VaultOptions.artifactRoot(<a folder every host mounts>) to use ARTIFACT columns");
        }
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

    /** One snapshot for several reads, taken while the vault is open; see {@link PinnedReads}. */
    PinnedReads pin() {
        return gate.guarded(() -> new PinnedReads(store, store.view()));
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
                o.checkpointMillis(), o.force()), o.listener(), Callers.code()), o.processId());
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
        Adoption a = adoption;
        if (a != null) {
            a.close(); // first: its adopted processes run inside the gate, which close waits for
        }
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
