package dev.tablevault.engine.codec;

import dev.tablevault.api.Column;
import dev.tablevault.api.LockMode;
import dev.tablevault.api.ProcessState;

import java.util.ArrayList;
import java.util.List;

/**
 * Every record the engine persists. Each is registered in {@link Codec} with a fixed id; changing a record's
 * fields changes the format version.
 */
public final class Records {
    private Records() {
    }

    /** Key {@code V} in {@code meta}. */
    public record VaultRecord(int formatVersion, long created, String createdBy) {
    }

    /** Key {@code T/<table>} in {@code meta}. */
    public record TableRecord(String name, String description, boolean sideEffects, boolean multipleArtifacts,
                              long created, String artifactInstance) {
        public TableRecord renamed(String newName) {
            return new TableRecord(newName, description, sideEffects, multipleArtifacts, created, artifactInstance);
        }
    }

    /**
     * Key {@code I/<table>/<id>} in {@code meta}. {@code key} is the numeric instance key that prefixes the
     * instance's cells in {@code data}; {@code 0} means the instance has no cells. {@code dependencies} are the
     * instances an execution read (empty for other instances). A column carried over unchanged from an origin is
     * not copied: its cells stay under the origin's key, at {@code columnKeys[c]} and slot {@code columnSlots[c]}
     * (both empty when every column is the instance's own, at its position). {@code columnTimes[c]} is when
     * column {@code c}'s data last changed: carried over from the origin for an unchanged column (empty: all
     * {@code changedTime}).
     */
    public record InstanceRecord(String table, String id, String version, boolean temporary, boolean externalEdit,
                                 String originTable, String originId, String description, List<Column> columns,
                                 List<String> changedColumns, long rows, boolean success, boolean active,
                                 long changedTime, long materializedTime, String processId, long key,
                                 List<DepRecord> dependencies, List<Long> columnKeys, List<Integer> columnSlots,
                                 List<Long> columnTimes) {
        public InstanceRecord {
            columns = new ArrayList<>(columns);
            changedColumns = new ArrayList<>(changedColumns);
            dependencies = new ArrayList<>(dependencies);
            columnKeys = new ArrayList<>(columnKeys);
            columnSlots = new ArrayList<>(columnSlots);
            columnTimes = new ArrayList<>(columnTimes);
        }

        /** When column {@code c}'s data last changed. */
        public long timeOf(int c) {
            return columnTimes.isEmpty() ? changedTime : columnTimes.get(c);
        }

        /** The key under which column {@code c}'s cells are. */
        public long keyOf(int c) {
            return columnKeys.isEmpty() ? key : columnKeys.get(c);
        }

        /** The column slot of column {@code c}'s cells under {@link #keyOf}. */
        public int slotOf(int c) {
            return columnSlots.isEmpty() ? c : columnSlots.get(c);
        }

        public InstanceRecord inTable(String newTable) {
            return new InstanceRecord(newTable, id, version, temporary, externalEdit,
                    table.equals(originTable) ? newTable : originTable, originId, description, columns,
                    changedColumns, rows, success, active, changedTime, materializedTime, processId, key,
                    dependencies, columnKeys, columnSlots, columnTimes);
        }

        /**
         * This temporary instance holding {@code rows} rows of {@code columns} under {@code key} (cells at
         * {@code keys/slots}, see above), with no changed columns, dependencies or column times: what the rows an
         * execution left, or a partial read, look like.
         */
        public InstanceRecord holding(List<Column> newColumns, long newRows, long newKey, boolean newSuccess,
                                      List<Long> keys, List<Integer> slots) {
            return new InstanceRecord(table, id, version, true, externalEdit, originTable, originId, description,
                    newColumns, List.of(), newRows, newSuccess, active, changedTime, materializedTime, processId,
                    newKey, List.of(), keys, slots, List.of());
        }

        public InstanceRecord deactivated() {
            return new InstanceRecord(table, id, version, temporary, externalEdit, originTable, originId, description,
                    columns, changedColumns, rows, success, false, changedTime, materializedTime, processId, key,
                    dependencies, columnKeys, columnSlots, columnTimes);
        }
    }

    /**
     * Key {@code A/<instance key>} in {@code meta}, written in the batch that materializes the instance: every
     * file its artifact folder held then, as a path relative to the folder ({@code /}-separated, sorted), with
     * its size and CRC32C. Dropped in the batch that drops the instance.
     */
    public record ArtifactSums(List<String> paths, List<Long> sizes, List<Integer> crc32c) {
        public ArtifactSums {
            paths = new ArrayList<>(paths);
            sizes = new ArrayList<>(sizes);
            crc32c = new ArrayList<>(crc32c);
        }
    }

    /**
     * Key {@code R} in {@code proc}: what the owner trimmed from the finished processes ({@code trimmed} in all,
     * the newest of them ending at {@code trimmedBefore}), by which policy ({@code keepFinished} newest,
     * {@code keepForMillis} at most, -1 for none), and where the history still to be looked at starts: every
     * history entry below the key {@code cursor} (its bytes as ISO-8859-1 characters) is trimmed.
     */
    public record TrimRecord(long trimmed, long trimmedBefore, String cursor, int keepFinished, long keepForMillis) {
    }

    /** Key {@code B/<table>/<version>/<name>} in {@code meta}. */
    public record BuilderRecord(String name, String format, String text) {
    }

    /**
     * Key {@code P/<pid>} in {@code proc} while active; {@code H/<pid>} once finished. {@code runnerPid} and
     * {@code runnerStart} (epoch ms, 0 when the OS did not say) name the OS process that last ran it: written
     * by whoever commits its start, checkpoints, pause or restart attempt.
     */
    public record ProcessRecord(String id, String operation, ProcessState state, String author, String parentId,
                                long started, long updated, String error, long stepsDone, int attempts,
                                String digest, long runnerPid, long runnerStart, boolean userId,
                                boolean setupDone) {
        public ProcessRecord with(ProcessState newState, String newError, long now) {
            return new ProcessRecord(id, operation, newState, author, parentId, started, now, newError, stepsDone,
                    attempts, digest, runnerPid, runnerStart, userId, setupDone);
        }

        public ProcessRecord progress(long steps, boolean setup, long now) {
            return new ProcessRecord(id, operation, state, author, parentId, started, now, error, steps,
                    attempts, digest, runnerPid, runnerStart, userId, setup);
        }

        /** One more restart attempt, run by the OS process {@code pid} started at {@code start}. */
        public ProcessRecord attempt(long now, long pid, long start) {
            return new ProcessRecord(id, operation, state, author, parentId, started, now, error, stepsDone,
                    attempts + 1, digest, pid, start, userId, setupDone);
        }

        /** The same record, run by the OS process {@code pid} started at {@code start}. */
        public ProcessRecord ranBy(long pid, long start) {
            return new ProcessRecord(id, operation, state, author, parentId, started, updated, error, stepsDone,
                    attempts, digest, pid, start, userId, setupDone);
        }
    }

    /**
     * The kinds of {@link LogEntry}, in the order a process writes them. A log entry stores the kind's name, so
     * vaults written before this enum existed read unchanged.
     */
    public enum LogKind {
        /** Seq 0: the operation's arguments ({@code step} is the operation name); a resume reruns them. */
        BEGIN,
        /** Seq 1: the locks the process took, as {@link LockRecord}s. */
        LOCKS,
        /** One committed step ({@code step} names it) with the progress a resume continues from. */
        CHECKPOINT,
        /** The last entry: {@code step} is the final {@code ProcessState}, {@code payload} the error or "". */
        END
    }

    /**
     * A log entry, key {@code L/<pid>/<seq>} in {@code proc}. {@code payload} is an args or progress record.
     * {@code kind} is a {@link LogKind} name: the record keeps the string its encoding has always held.
     */
    public record LogEntry(long seq, String kind, String step, long time, Object payload) {
        public LogEntry(long seq, LogKind kind, String step, long time, Object payload) {
            this(seq, kind.name(), step, time, payload);
        }

        /** True when this entry is of kind {@code k}. */
        public boolean is(LogKind k) {
            return kind.equals(k.name());
        }
    }

    /** Key {@code <resource>\0<pid>} in {@code locks}. */
    public record LockRecord(String resource, LockMode mode, String processId) {
    }

    /** Progress of a staged write: rows {@code [0, rows)} are committed under {@code instanceKey}. */
    public record WriteProgress(long instanceKey, String newId, long startTime, long rows) {
    }

    /**
     * One instance an execution reads through references or dependencies: {@code table} at {@code version}
     * ({@code ""} for the latest) resolved, when the execution started, to {@code instanceId}.
     */
    public record DepRecord(String table, String version, String instanceId) {
    }

    /**
     * Progress of {@code executeInstance}. {@code specs} are the builder specs it runs and {@code deps} the
     * instances their references read, both fixed at its start; {@code originTable}/{@code originId} (null: none)
     * is the instance it re-executes from and {@code clean} the builders whose results it carries over from
     * there. {@code step} indexes the plan (0 = the index builder); {@code rows} is the row count once the index
     * step finished, else -1: the index builder's {@code indexRows} plus the origin rows {@code keepOld} keeps;
     * {@code carried} counts rows whose origin values are copied (after the index step).
     * In the current step every row below {@code doneBefore} and every row in {@code doneAfter} (sorted, all
     * above it) is committed: threads finish rows out of order.
     */
    public record ExecProgress(long instanceKey, String newId, long startTime, List<BuilderRecord> specs,
                               List<DepRecord> deps, String originTable, String originId, List<String> clean,
                               int step, long rows, long indexRows, long carried, long doneBefore,
                               List<Long> doneAfter) {
        public ExecProgress {
            specs = new ArrayList<>(specs);
            deps = new ArrayList<>(deps);
            clean = new ArrayList<>(clean);
            doneAfter = new ArrayList<>(doneAfter);
        }

        public ExecProgress at(int newStep, long newRows, long newDoneBefore, List<Long> newDoneAfter) {
            return new ExecProgress(instanceKey, newId, startTime, specs, deps, originTable, originId, clean, newStep,
                    newRows, indexRows, carried, newDoneBefore, newDoneAfter);
        }

        public ExecProgress carried(long newCarried) {
            return new ExecProgress(instanceKey, newId, startTime, specs, deps, originTable, originId, clean, step,
                    rows, indexRows, newCarried, doneBefore, doneAfter);
        }

        public ExecProgress indexed(long newIndexRows, long newRows) {
            return new ExecProgress(instanceKey, newId, startTime, specs, deps, originTable, originId, clean, 1,
                    newRows, newIndexRows, 0, 0, List.of());
        }
    }

    // ---- operation arguments: what BEGIN records and what the digest covers ----

    public record CreateTableArgs(String table, boolean sideEffects, boolean multipleArtifacts, String description) {
    }

    public record RenameTableArgs(String table, String newName) {
    }

    public record DeleteTableArgs(String table) {
    }

    public record CreateInstanceArgs(String table, String version, String originId, String originTable,
                                     boolean externalEdit, boolean copy, String description) {
    }

    public record DeleteInstanceArgs(String table, String instanceId) {
    }

    public record PutBuilderArgs(String table, String version, String name, String format, String text) {
    }

    public record DeleteBuilderArgs(String table, String version, String name) {
    }

    public record WriteInstanceArgs(String table, String version, String frameDigest, List<Column> columns,
                                    long rows) {
        public WriteInstanceArgs {
            columns = new ArrayList<>(columns);
        }
    }

    public record ExecuteArgs(String table, String version, int checkpointRows, long checkpointMillis,
                              boolean force) {
    }

    public record StopArgs(String target, boolean materialize, boolean force) {
    }
}
