package dev.tablevault.api;

import java.util.List;
import java.util.Map;

/**
 * An open vault. Thread safe: operations on different resources run in parallel; conflicting ones wait for
 * locks. Every write is a durable process and returns its process id; a caller-supplied id (in the options)
 * makes a failure from outside the engine pause the process instead of reverting it, and calling the same
 * operation again with that id resumes it. Reads take no locks and see a consistent snapshot.
 * {@link #close()} leaves active processes active; they hold their locks until resumed or stopped.
 */
public interface Vault extends AutoCloseable {

    // ---- writes -------------------------------------------------------------------------------------------

    String createTable(String table, TableOptions options);

    /**
     * Renames a table with its instances, builder specs and artifacts. Its index builder follows the name
     * ({@code table_index} becomes {@code newName_index}, also where a spec lists it under dependencies);
     * references written inside specs' arguments are left as written.
     */
    String renameTable(String table, String newName, OpOptions options);

    String deleteTable(String table, OpOptions options);

    /** Creates the temporary instance {@code TEMP_<version>} of a table. */
    String createInstance(String table, InstanceOptions options);

    /** Deletes a materialized or temporary instance. */
    String deleteInstance(String table, String instanceId, OpOptions options);

    /** Stores (or replaces) a builder spec on the temporary instance of {@code version}. */
    String putBuilder(String table, String version, BuilderSpec spec, OpOptions options);

    String deleteBuilder(String table, String version, String builderName, OpOptions options);

    /** Writes {@code frame} into the external-edit temporary instance and materializes it. */
    String writeInstance(String table, Frame frame, WriteOptions options);

    /**
     * Builds {@code TEMP_<version>} with its builders and materializes it. Results are committed in
     * checkpoints: with a caller-supplied process id, a builder's exception pauses the process with its locks
     * and the same call (or {@link #resumeProcess}, or a {@code restart(true)} open) continues from the last
     * checkpoint; without one it reverts, leaving the partial rows on the temporary instance for inspection.
     * The builder's own exception reaches the caller unchanged.
     */
    String executeInstance(String table, ExecuteOptions options);

    /** Reverts a paused process, or materializes its partial result; a running one stops at its next checkpoint. */
    String stopProcess(String processId, StopOptions options);

    /**
     * Resumes an active (paused or crashed) process from its last checkpoint with the arguments it started
     * with; the same as calling its operation again with its id.
     */
    String resumeProcess(String processId);

    /** A fresh process id. */
    String generateProcessId();

    // ---- reads --------------------------------------------------------------------------------------------

    /** Table names, sorted. */
    List<String> tables();

    /** Materialized instance ids of a table, oldest first, then (if asked) temporary ones. */
    List<String> instances(String table, String version, boolean includeTemporary);

    /**
     * The rows of one instance, from one snapshot.
     *
     * <p><b>Partial reads.</b> The temporary instance {@code TEMP_<version>} of a running or paused
     * {@code executeInstance} reads as of the process's last checkpoint, read from the same snapshot as the cells:
     * every column of the plan, in plan order; as many rows as the index builder made (while it runs, the rows it
     * committed). The columns of finished builders are complete; the current builder's columns hold the rows its
     * checkpoints committed and null for the others; the columns of builders not started yet are null (as are a
     * re-execution's carried-over columns for rows not copied yet). A {@code writeInstance} still staging reads with
     * its frame's columns and row count, the rows not staged yet null. A process paused before its first
     * checkpoint shows no columns; one running that has saved nothing yet is not seen (the instance reads as
     * stored). {@link #description(String, String)} and {@link RowCursor#progress()} mark such a read
     * with an {@link InstanceProgress}; once the process ends, the instance reads as it was left (materialized:
     * {@code TEMP_<version>} is gone).
     */
    Frame dataframe(String table, ReadOptions options);

    /** A streaming cursor over what {@link #dataframe} reads (partial reads too); close it. */
    RowCursor rows(String table, ReadOptions options);

    /**
     * Builder names of the temporary instance of {@code version}, or of an executed instance when given its
     * id (an execution keeps the specs it ran with the instance), sorted.
     */
    List<String> builders(String table, String version);

    BuilderSpec builder(String table, String version, String builderName);

    TableDescription description(String table);

    InstanceDescription description(String table, String instanceId);

    /**
     * The folder holding an instance's artifact files (ARTIFACT column values are paths relative to it); it may
     * not exist when the instance has none. For a single-artifact table, the table's current artifacts are
     * those of {@code description(table).artifactInstance()}.
     *
     * <p>For an external-edit temporary instance ({@code TEMP_<version>}) it is a staging folder, created on
     * demand (not by a read-only handle): put the files there, then {@link #writeInstance} checks that every ARTIFACT value names one and
     * links them into the new instance's folder before it commits (a missing file or a path leaving the folder is
     * a {@link TvArgumentException}, and the staged files stay). The staging folder is removed once the write,
     * or the deletion of the temporary instance or its table, is durable.
     *
     * @throws TvArgumentException if the instance does not exist, or is not external-edit and never held data
     */
    java.nio.file.Path artifactFolder(String table, String instanceId);

    /**
     * Checks the vault: RocksDB's checksums of every table file, then the engine's invariants over one
     * snapshot (every instance, builder and lock belongs to something that exists; every active process has
     * its log; cells and artifact folders belong to an instance or an active process). Reads only; works on a
     * read-only handle while another OS process owns the vault. Time grows with the vault's size.
     */
    VerifyReport verify();

    /** Counts and sizes of the vault. Reads only. Time grows with the number of instances and processes. */
    VaultStats stats();

    /** Processes that have not ended, by id. */
    Map<String, ProcessInfo> activeProcesses();

    /** Finished processes, newest first, at most {@code limit}. */
    List<ProcessInfo> processHistory(int limit);

    /** The record of one process, active or finished. @throws TvProcessException if unknown */
    ProcessInfo process(String processId);

    /** The write-ahead log of a process, active or finished, oldest entry first. */
    List<LogEntryInfo> processLog(String processId);

    /** True when the process finished (committed, reverted, stopped or materialized). */
    boolean isProcessComplete(String processId);

    List<LockInfo> locks();

    @Override
    void close();
}
