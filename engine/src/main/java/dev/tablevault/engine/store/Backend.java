package dev.tablevault.engine.store;

import dev.tablevault.api.Durability;
import dev.tablevault.engine.lock.LockManager;
import dev.tablevault.engine.lock.LockTable;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One vault's storage: RocksDB on a local disk (embedded, one owning OS process) or PostgreSQL (shared by many
 * hosts). The engine's process log, pause and resume rules and lock rules are written once, above this interface;
 * a backend stores bytes and keeps the guarantees below.
 *
 * <ul>
 *   <li>{@link #write} is atomic: every change of a {@link Batch} is applied or none is, and it returns only once
 *       the batch is as durable as {@link #durability()} promises.</li>
 *   <li>A batch that {@linkplain Batch#requireFence requires a fence} commits only if the process still holds that
 *       fence, checked inside the same commit, else it fails with {@code PROCESS_FENCED} and writes nothing.</li>
 *   <li>A commit whose outcome is not known (an acknowledgement lost with the connection) fails with
 *       {@code COMMIT_UNKNOWN}; the engine resolves it by reading what the batch wrote. A backend never retries a
 *       commit silently.</li>
 *   <li>{@link #view()} is a real snapshot over every family.</li>
 * </ul>
 *
 * <p>Thread safe. Owns its resources (native handles, connections, threads) and releases them in {@link #close()}.
 */
public interface Backend extends Reads, AutoCloseable {
    /** {@code rocksdb} or {@code postgresql}, as {@code tv stats} reports it. */
    String kind();

    /** Where the data lives, for messages: a directory, or a URL without its password. */
    String location();

    boolean readOnly();

    /** The durability in force for every write. */
    Durability durability();

    /** Whether other OS processes or hosts may write the same vault at the same time. */
    boolean sharedOwners();

    /**
     * Commits {@code batch} atomically with {@link #durability()}, then runs its {@link Batch#onWritten} actions.
     *
     * @throws dev.tablevault.api.TvStorageException {@code READ_ONLY}, {@code DISK_FULL}, {@code IO},
     *         {@code PROCESS_FENCED} or {@code COMMIT_UNKNOWN}; nothing of the batch is written except, for
     *         {@code COMMIT_UNKNOWN}, perhaps all of it
     */
    void write(Batch batch);

    /**
     * Claims the run of active process {@code processId} for this host (a backend with shared owners: its PAUSED or
     * ORPHANED row becomes RUNNING here under a new fence, after a sweep when its owner's lease has run out) and
     * returns the fence its batches must then {@linkplain Batch#requireFence require}. A backend without shared
     * owners has no runs to claim and returns 0.
     *
     * @throws dev.tablevault.api.TvProcessException {@code PROCESS_STATE} naming the host when another live host
     *         runs it, or when it has no run row
     */
    default long claimRun(String processId) {
        return 0;
    }

    /**
     * On a backend with shared owners, declares every host whose lease ran out dead: its runs that persisted are
     * orphaned under new fences (claimable), the others deleted with their locks. Nothing to do without.
     */
    default void sweep() {
    }

    /**
     * On a backend with shared owners, {@linkplain #sweep sweeps} and returns up to {@code max} orphaned runs not in {@code skip}, oldest first, for this host
     * to claim and resume. A backend without shared owners has no runs and returns an empty list.
     */
    default List<String> sweepOrphans(int max, Set<String> skip) {
        return List.of();
    }

    /**
     * The lock table of this vault, asking {@code holders} about holders on this host: in memory for a backend with
     * one owner, shared by every host (rows) for a backend with shared owners.
     */
    default LockTable lockTable(LockManager.Holders holders) {
        return new LockManager(holders);
    }

    /**
     * The run of each active process on a backend with shared owners, by process id: which host runs it (null when
     * none: PAUSED or ORPHANED), its fence and run state, as {@code tv ps} shows them. A backend without shared
     * owners has no runs and returns an empty map.
     */
    default Map<String, Run> runs() {
        return Map.of();
    }

    /**
     * One process's run on a shared vault.
     *
     * @param state RUNNING, PAUSED or ORPHANED
     * @param ownerHost the host that runs it, or null when no host does
     * @param fence the fence its commits carry; each claim raises it
     * @param attempts how many times a host has claimed it
     */
    record Run(String state, String ownerHost, long fence, int attempts) {
    }

    /**
     * The most bytes ({@link Batch#bytes()}) one {@link #write} may carry: a larger batch is refused with
     * {@code BAD_ARGUMENT} before anything is sent. {@link Long#MAX_VALUE} where there is no bound (RocksDB).
     */
    default long maxBatchBytes() {
        return Long.MAX_VALUE;
    }

    /** A consistent read view; close it. */
    ReadView view();

    /** The largest key in {@code family}, or null when it is empty. */
    byte[] lastKey(Family family);

    /**
     * The owner's in-memory copy of the catalog, or null where there is none (read-only, shared owners, or dropped
     * after a failed write).
     */
    CatalogMirror mirror();

    /**
     * A fresh instance key, never returned before by any backend of this vault (on a shared vault: by any host).
     * Keys are positive; they need not be consecutive (a key taken by a write that failed is not reused).
     */
    long newInstanceKey();

    /** Makes every write acknowledged so far durable, whatever {@link #durability()} is. */
    void sync();

    /** Checks every stored byte against its checksum; throws {@code CORRUPTION} naming what is damaged. */
    void verifyStorage();

    /** Bytes of stored data and of write-ahead log, for {@code tv stats}. */
    long dataBytes();

    long logBytes();

    @Override
    void close();
}
