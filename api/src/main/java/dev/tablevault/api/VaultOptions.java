package dev.tablevault.api;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How to open a vault. Immutable; every setter returns a copy.
 *
 * @param author recorded on every process this vault object starts
 * @param create create a new vault; refuses a path that already holds anything
 * @param restart resume every active process on open (after a crash)
 * @param readOnly open for inspection only; works while another OS process owns the vault
 * @param durability how commits reach the disk
 * @param groupedSyncMillis the fsync interval for {@link Durability#GROUPED}
 * @param lockTimeout how long a conflicting lock request waits before failing
 * @param maxRestartAttempts how many restarts may try to resume one process before it stays paused
 * @param builders builders by the name specs use in their {@code builder} field; they take precedence over
 *     the built-in ones and over {@link java.util.ServiceLoader} providers named by class
 * @param listener told of the progress of executions the vault resumes itself ({@link #listener}), or null
 * @param board publish running processes and their progress on the live board ({@code <vault>/board/}, a
 *     Chronicle Map cache that {@code tv ps} and {@code tv top} read); needs Chronicle's JVM flags (see
 *     docs/ARCHITECTURE.md, "Live board"): without them the vault runs without a board and logs one warning
 * @param keepFinishedProcesses how many finished processes (the newest) the owner keeps in the history, with
 *     their logs; older ones are trimmed (see {@link #keepFinishedProcesses(int)})
 * @param keepFinishedFor how long after its end a finished process is kept at most, or null for no age limit
 */
public record VaultOptions(String author, boolean create, boolean restart, boolean readOnly,
                           Durability durability, long groupedSyncMillis, Duration lockTimeout,
                           int maxRestartAttempts, Map<String, Builder> builders, ExecutionListener listener,
                           boolean board, int keepFinishedProcesses, Duration keepFinishedFor) {

    /** The default of {@link #keepFinishedProcesses(int)}: about 6 MB of history and logs. */
    public static final int DEFAULT_KEEP_FINISHED = 10_000;

    public VaultOptions {
        Objects.requireNonNull(author, "author");
        Objects.requireNonNull(durability, "durability");
        Objects.requireNonNull(lockTimeout, "lockTimeout");
        if (groupedSyncMillis <= 0) {
            throw new IllegalArgumentException("groupedSyncMillis must be > 0, got " + groupedSyncMillis);
        }
        if (lockTimeout.isNegative()) {
            throw new IllegalArgumentException("lockTimeout must not be negative, got " + lockTimeout);
        }
        if (maxRestartAttempts < 1) {
            throw new IllegalArgumentException("maxRestartAttempts must be >= 1, got " + maxRestartAttempts);
        }
        builders = Map.copyOf(Objects.requireNonNull(builders, "builders"));
        if (keepFinishedProcesses < 0) {
            throw new IllegalArgumentException("keepFinishedProcesses must be >= 0, got " + keepFinishedProcesses);
        }
        if (keepFinishedFor != null && keepFinishedFor.isNegative()) {
            throw new IllegalArgumentException("keepFinishedFor must not be negative, got " + keepFinishedFor);
        }
    }

    /**
     * Author {@code unknown}, SYNC durability, 5 s lock timeout, 3 restart attempts, the live board on, the newest
     * {@value #DEFAULT_KEEP_FINISHED} finished processes kept whatever their age.
     */
    public static VaultOptions defaults() {
        return new VaultOptions("unknown", false, false, false, Durability.SYNC, 10, Duration.ofSeconds(5), 3,
                Map.of(), null, true, DEFAULT_KEEP_FINISHED, null);
    }

    public VaultOptions author(String value) {
        return new VaultOptions(value, create, restart, readOnly, durability, groupedSyncMillis, lockTimeout,
                maxRestartAttempts, builders, listener, board, keepFinishedProcesses,
                keepFinishedFor);
    }

    public VaultOptions create(boolean value) {
        return new VaultOptions(author, value, restart, readOnly, durability, groupedSyncMillis, lockTimeout,
                maxRestartAttempts, builders, listener, board, keepFinishedProcesses,
                keepFinishedFor);
    }

    public VaultOptions restart(boolean value) {
        return new VaultOptions(author, create, value, readOnly, durability, groupedSyncMillis, lockTimeout,
                maxRestartAttempts, builders, listener, board, keepFinishedProcesses,
                keepFinishedFor);
    }

    public VaultOptions readOnly(boolean value) {
        return new VaultOptions(author, create, restart, value, durability, groupedSyncMillis, lockTimeout,
                maxRestartAttempts, builders, listener, board, keepFinishedProcesses,
                keepFinishedFor);
    }

    public VaultOptions durability(Durability value) {
        return new VaultOptions(author, create, restart, readOnly, value, groupedSyncMillis, lockTimeout,
                maxRestartAttempts, builders, listener, board, keepFinishedProcesses,
                keepFinishedFor);
    }

    public VaultOptions groupedSyncMillis(long value) {
        return new VaultOptions(author, create, restart, readOnly, durability, value, lockTimeout,
                maxRestartAttempts, builders, listener, board, keepFinishedProcesses,
                keepFinishedFor);
    }

    public VaultOptions lockTimeout(Duration value) {
        return new VaultOptions(author, create, restart, readOnly, durability, groupedSyncMillis, value,
                maxRestartAttempts, builders, listener, board, keepFinishedProcesses,
                keepFinishedFor);
    }

    public VaultOptions maxRestartAttempts(int value) {
        return new VaultOptions(author, create, restart, readOnly, durability, groupedSyncMillis, lockTimeout, value,
                builders, listener, board, keepFinishedProcesses, keepFinishedFor);
    }

    /**
     * Told of the progress of the executions this vault resumes itself: by {@code resumeProcess} and by a
     * {@code restart(true)} open (a call to {@code executeInstance} uses {@link ExecuteOptions#listener}); null for
     * none. Called on the executing thread.
     */
    public VaultOptions listener(ExecutionListener value) {
        return new VaultOptions(author, create, restart, readOnly, durability, groupedSyncMillis, lockTimeout,
                maxRestartAttempts, builders, value, board, keepFinishedProcesses, keepFinishedFor);
    }

    /** Publish running processes on the live board (on by default); see the {@code board} component. */
    public VaultOptions board(boolean value) {
        return new VaultOptions(author, create, restart, readOnly, durability, groupedSyncMillis, lockTimeout,
                maxRestartAttempts, builders, listener, value, keepFinishedProcesses, keepFinishedFor);
    }

    /** Registers {@code builder} under {@code name} (a spec's {@code builder} field), replacing one so named. */
    public VaultOptions builder(String name, Builder builder) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(builder, "builder");
        Map<String, Builder> m = new LinkedHashMap<>(builders);
        m.put(name, builder);
        return new VaultOptions(author, create, restart, readOnly, durability, groupedSyncMillis, lockTimeout,
                maxRestartAttempts, m, listener, board, keepFinishedProcesses, keepFinishedFor);
    }

    /**
     * Keeps the newest {@code n} finished processes (records and logs: what {@code processHistory},
     * {@code process}, {@code processLog} and {@code isProcessComplete} read); the owner trims older ones in
     * batches after a process ends, so up to {@code n / 8} (at most 256) more may be kept for a while. A trimmed
     * process is unknown: {@code isProcessComplete} says false and its id may be used again, so keep more than a
     * retried call could span. Never trimmed: a finished sub-process of a process that is still active (its resume
     * asks {@code isProcessComplete}). Default {@value #DEFAULT_KEEP_FINISHED}; {@code Integer.MAX_VALUE} keeps all.
     */
    public VaultOptions keepFinishedProcesses(int n) {
        return new VaultOptions(author, create, restart, readOnly, durability, groupedSyncMillis, lockTimeout,
                maxRestartAttempts, builders, listener, board, n, keepFinishedFor);
    }

    /**
     * Also trims finished processes that ended more than {@code age} ago, however few there are (checked when a
     * process ends, as {@link #keepFinishedProcesses(int)} is); null (the default) sets no age limit.
     */
    public VaultOptions keepFinishedFor(Duration age) {
        return new VaultOptions(author, create, restart, readOnly, durability, groupedSyncMillis, lockTimeout,
                maxRestartAttempts, builders, listener, board, keepFinishedProcesses, age);
    }
}
