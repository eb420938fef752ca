package dev.tablevault.engine.store;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Changes to commit atomically with {@link Backend#write}: puts, deletes and range deletes by {@link Family}, kept
 * in memory in the order added, and optionally the fence of the process whose step this is. Holds no native
 * resource. Used by one thread.
 */
public final class Batch {
    /** One change: a put ({@code value} set), a delete, or a range delete ({@code rangeEnd} set). */
    public interface ChangeVisitor {
        void visit(Family family, byte[] key, byte[] value, byte[] rangeEnd);
    }

    private Family[] families = new Family[8];
    private byte[][] keys = new byte[8][];
    private byte[][] values = new byte[8][];
    private byte[][] rangeEnds = new byte[8][];
    private int count;
    private String fencedProcess;
    private long fence;
    private final List<Runnable> onWritten = new ArrayList<>(1);
    private List<RunChange> runChanges = List.of();

    /** What a {@link RunChange} does to a process's run row. */
    public enum RunKind { PAUSE, END }

    /**
     * A change of a process's run row ({@code tv_runs} on a backend with shared owners; the row exists from the
     * process's {@linkplain dev.tablevault.engine.lock.LockTable#begin begin}): PAUSE leaves it PAUSED with no owner
     * and END deletes it (with its lock rows), each only while the run holds {@code fence}.
     */
    public record RunChange(RunKind kind, String pid, long fence) {
    }

    /** Sets {@code key} to {@code value} in {@code family}. */
    public void put(Family family, byte[] key, byte[] value) {
        add(family, key, value, null);
    }

    /** Removes {@code key} from {@code family}. */
    public void delete(Family family, byte[] key) {
        add(family, key, null, null);
    }

    /** Removes the keys from {@code from} (inclusive) to {@code to} (exclusive) from {@code family}. */
    public void deleteRange(Family family, byte[] from, byte[] to) {
        add(family, from, null, to);
    }

    /**
     * Commits this batch only while {@code processId} holds {@code fence}; a backend without shared owners has no
     * fences to check.
     */
    public void requireFence(String processId, long fence) {
        this.fencedProcess = processId;
        this.fence = fence;
    }

    /** The process whose fence this batch requires, or null. */
    public String fencedProcess() {
        return fencedProcess;
    }

    public long fence() {
        return fence;
    }

    /** Pauses the run of {@code pid}, held under {@code fence}, in this batch's commit. */
    public void pauseRun(String pid, long fence) {
        addRun(new RunChange(RunKind.PAUSE, pid, fence));
    }

    /** Ends (deletes) the run of {@code pid}, held under {@code fence}, in this batch's commit. */
    public void endRun(String pid, long fence) {
        addRun(new RunChange(RunKind.END, pid, fence));
    }

    private void addRun(RunChange change) {
        if (runChanges.isEmpty()) {
            runChanges = new ArrayList<>(2);
        }
        runChanges.add(change);
    }

    /**
     * The run-row changes, in the order added. A backend with shared owners applies them in the same commit as the
     * changes, after the fence check; one without (RocksDB) has no run rows and ignores them.
     */
    public List<RunChange> runChanges() {
        return runChanges;
    }

    public int size() {
        return count;
    }

    /** The bytes of its changes (keys, values and range bounds): what {@link Backend#maxBatchBytes()} bounds. */
    public long bytes() {
        long n = 0;
        for (int i = 0; i < count; i++) {
            n += keys[i].length + (values[i] == null ? 0 : values[i].length)
                    + (rangeEnds[i] == null ? 0 : rangeEnds[i].length);
        }
        return n;
    }

    private void add(Family family, byte[] key, byte[] value, byte[] rangeEnd) {
        if (count == families.length) {
            int n = count * 2;
            families = Arrays.copyOf(families, n);
            keys = Arrays.copyOf(keys, n);
            values = Arrays.copyOf(values, n);
            rangeEnds = Arrays.copyOf(rangeEnds, n);
        }
        families[count] = family;
        keys[count] = key;
        values[count] = value;
        rangeEnds[count] = rangeEnd;
        count++;
    }

    /** Runs {@code action} on the writing thread once this batch is written (not if the write fails). */
    public void onWritten(Runnable action) {
        onWritten.add(action);
    }

    /** Called by a backend once the batch is written. */
    public void written() {
        onWritten.forEach(Runnable::run);
    }

    /** Visits the changes in the order they were added. */
    public void forEachChange(ChangeVisitor visitor) {
        for (int i = 0; i < count; i++) {
            visitor.visit(families[i], keys[i], values[i], rangeEnds[i]);
        }
    }
}
