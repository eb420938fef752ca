package dev.tablevault.api;

import java.nio.file.Path;
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
 * @param shared the settings that matter only for a vault shared by hosts (opened by a PostgreSQL URL)
 */
public record VaultOptions(String author, boolean create, boolean restart, boolean readOnly,
                           Durability durability, long groupedSyncMillis, Duration lockTimeout,
                           int maxRestartAttempts, Map<String, Builder> builders, ExecutionListener listener,
                           boolean board, int keepFinishedProcesses, Duration keepFinishedFor,
                           Shared shared) {

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
        Objects.requireNonNull(shared, "shared");
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
                Map.of(), null, true, DEFAULT_KEEP_FINISHED, null, Shared.DEFAULTS);
    }

    public VaultOptions author(String value) {
        return new VaultOptions(value, create, restart, readOnly, durability, groupedSyncMillis, lockTimeout,
                maxRestartAttempts, builders, listener, board, keepFinishedProcesses,
                keepFinishedFor, shared);
    }

    public VaultOptions create(boolean value) {
        return new VaultOptions(author, value, restart, readOnly, durability, groupedSyncMillis, lockTimeout,
                maxRestartAttempts, builders, listener, board, keepFinishedProcesses,
                keepFinishedFor, shared);
    }

    public VaultOptions restart(boolean value) {
        return new VaultOptions(author, create, value, readOnly, durability, groupedSyncMillis, lockTimeout,
                maxRestartAttempts, builders, listener, board, keepFinishedProcesses,
                keepFinishedFor, shared);
    }

    public VaultOptions readOnly(boolean value) {
        return new VaultOptions(author, create, restart, value, durability, groupedSyncMillis, lockTimeout,
                maxRestartAttempts, builders, listener, board, keepFinishedProcesses,
                keepFinishedFor, shared);
    }

    public VaultOptions durability(Durability value) {
        return new VaultOptions(author, create, restart, readOnly, value, groupedSyncMillis, lockTimeout,
                maxRestartAttempts, builders, listener, board, keepFinishedProcesses,
                keepFinishedFor, shared);
    }

    public VaultOptions groupedSyncMillis(long value) {
        return new VaultOptions(author, create, restart, readOnly, durability, value, lockTimeout,
                maxRestartAttempts, builders, listener, board, keepFinishedProcesses,
                keepFinishedFor, shared);
    }

    public VaultOptions lockTimeout(Duration value) {
        return new VaultOptions(author, create, restart, readOnly, durability, groupedSyncMillis, value,
                maxRestartAttempts, builders, listener, board, keepFinishedProcesses,
                keepFinishedFor, shared);
    }

    public VaultOptions maxRestartAttempts(int value) {
        return new VaultOptions(author, create, restart, readOnly, durability, groupedSyncMillis, lockTimeout, value,
                builders, listener, board, keepFinishedProcesses, keepFinishedFor, shared);
    }

    /**
     * Told of the progress of the executions this vault resumes itself: by {@code resumeProcess} and by a
     * {@code restart(true)} open (a call to {@code executeInstance} uses {@link ExecuteOptions#listener}); null for
     * none. Called on the executing thread.
     */
    public VaultOptions listener(ExecutionListener value) {
        return new VaultOptions(author, create, restart, readOnly, durability, groupedSyncMillis, lockTimeout,
                maxRestartAttempts, builders, value, board, keepFinishedProcesses, keepFinishedFor, shared);
    }

    /** Publish running processes on the live board (on by default); see the {@code board} component. */
    public VaultOptions board(boolean value) {
        return new VaultOptions(author, create, restart, readOnly, durability, groupedSyncMillis, lockTimeout,
                maxRestartAttempts, builders, listener, value, keepFinishedProcesses, keepFinishedFor, shared);
    }

    /** Registers {@code builder} under {@code name} (a spec's {@code builder} field), replacing one so named. */
    public VaultOptions builder(String name, Builder builder) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(builder, "builder");
        Map<String, Builder> m = new LinkedHashMap<>(builders);
        m.put(name, builder);
        return new VaultOptions(author, create, restart, readOnly, durability, groupedSyncMillis, lockTimeout,
                maxRestartAttempts, m, listener, board, keepFinishedProcesses, keepFinishedFor, shared);
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
                maxRestartAttempts, builders, listener, board, n, keepFinishedFor, shared);
    }

    /**
     * Also trims finished processes that ended more than {@code age} ago, however few there are (checked when a
     * process ends, as {@link #keepFinishedProcesses(int)} is); null (the default) sets no age limit.
     */
    public VaultOptions keepFinishedFor(Duration age) {
        return new VaultOptions(author, create, restart, readOnly, durability, groupedSyncMillis, lockTimeout,
                maxRestartAttempts, builders, listener, board, keepFinishedProcesses, age, shared);
    }
    private VaultOptions shared(Shared value) {
        return new VaultOptions(author, create, restart, readOnly, durability, groupedSyncMillis, lockTimeout,
                maxRestartAttempts, builders, listener, board, keepFinishedProcesses, keepFinishedFor, value);
    }

    /**
     * A shared vault only: this host's id in {@code tv_hosts}; null (the default) means {@code <hostname>:<pid>}.
     * It must be unique among the hosts running on the vault.
     */
    public VaultOptions hostId(String value) {
        return shared(new Shared(value, shared.leaseTtl, shared.localDir, shared.artifactRoot, shared.adoptOrphans));
    }

    /**
     * A shared vault only: how long this host's lease lasts without a renewal (renewed every third of it); the
     * host stops committing before it ends. Default 10 s.
     */
    public VaultOptions leaseTtl(Duration value) {
        Objects.requireNonNull(value, "leaseTtl");
        if (value.toMillis() < 300) {
            throw new IllegalArgumentException("leaseTtl must be at least 300 ms, got " + value);
        }
        return shared(new Shared(shared.hostId, value, shared.localDir, shared.artifactRoot, shared.adoptOrphans));
    }

    /**
     * A shared vault only: the local folder for what a vault keeps on this host (the live board); null (the
     * default) means {@code <java.io.tmpdir>/tablevault-<hash of the URL without password and the host id>}.
     */
    public VaultOptions localDir(Path value) {
        return shared(new Shared(shared.hostId, shared.leaseTtl, value, shared.artifactRoot, shared.adoptOrphans));
    }

    /**
     * A shared vault only: a folder every host mounts, where ARTIFACT columns keep their files; without it (null,
     * the default) a shared vault refuses ARTIFACT columns. A directory vault keeps them in
     * {@code <vault>/artifacts} and ignores this.
     */
    public VaultOptions artifactRoot(Path value) {
        return shared(new Shared(shared.hostId, shared.leaseTtl, shared.localDir, value, shared.adoptOrphans));
    }

    /**
     * A shared vault only: whether this host, open for writing, adopts orphaned processes (those of hosts whose
     * lease ran out) whose builder code it has, resuming them from their last checkpoint, up to eight at a time.
     * Default true; false leaves them to other hosts, {@code restart(true)} and {@code resumeProcess}.
     */
    public VaultOptions adoptOrphans(boolean value) {
        return shared(new Shared(shared.hostId, shared.leaseTtl, shared.localDir, shared.artifactRoot, value));
    }

    public String hostId() {
        return shared.hostId;
    }

    public Duration leaseTtl() {
        return shared.leaseTtl;
    }

    public Path localDir() {
        return shared.localDir;
    }

    public Path artifactRoot() {
        return shared.artifactRoot;
    }

    public boolean adoptOrphans() {
        return shared.adoptOrphans;
    }

    /**
     * The settings of a vault shared by hosts: see {@link #hostId(String)}, {@link #leaseTtl(Duration)},
     * {@link #localDir(Path)}, {@link #artifactRoot(Path)}, {@link #adoptOrphans(boolean)}.
     */
    public record Shared(String hostId, Duration leaseTtl, Path localDir, Path artifactRoot, boolean adoptOrphans) {
        /** No host id, local folder or artifact root chosen; a 10 s lease; orphans adopted. */
        public static final Shared DEFAULTS = new Shared(null, Duration.ofSeconds(10), null, null, true);

        public Shared {
            Objects.requireNonNull(leaseTtl, "leaseTtl");
        }
    }
}
