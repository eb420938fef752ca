package dev.tablevault.api;

/**
 * Stable error codes. The numeric {@link #code()} never changes meaning between releases; the CLI uses
 * {@link #exitCode()} as its process exit status.
 */
public enum ErrorCode {
    /** A name, option or value is malformed, reserved, or names something that does not exist. */
    BAD_ARGUMENT(10),
    /** The thing to create already exists. */
    ALREADY_EXISTS(11),
    /** The named table, instance, builder or process does not exist. */
    NOT_FOUND(12),
    /** A lock could not be had within the timeout. */
    LOCK_TIMEOUT(20),
    /** The lock is held by a paused process; waiting would not help. */
    LOCK_HELD_BY_PAUSED(21),
    /** Waiting for the lock would deadlock. */
    DEADLOCK(22),
    /** The process id is unknown, finished already, or otherwise cannot be used as asked. */
    PROCESS_STATE(30),
    /** A process was resumed with arguments that differ from the ones it started with. */
    PROCESS_ARGUMENTS_CHANGED(31),
    /** The process was stopped on request. */
    PROCESS_STOPPED(32),
    /**
     * A process lost its claim on a shared vault: its host's lease ran out (the host was stopped, cut off or too slow
     * to renew it) and another host took the process over with a newer fence. Nothing of the refused step was
     * written. Not retriable on this host; the process continues on the host that holds it ({@code tv ps}).
     */
    PROCESS_FENCED(33),
    /** A builder spec is malformed or cannot be executed. */
    BAD_BUILDER(40),
    /** The code a builder spec names is not registered, built in, or provided through ServiceLoader. */
    BUILDER_NOT_FOUND(41),
    /** A table reference ({@code <<table(version).column[condition]>>}) is malformed or cannot be resolved. */
    BAD_REFERENCE(42),
    /** An I/O error from the file system or RocksDB. */
    IO(50),
    /** Stored data does not decode or violates an engine invariant. */
    CORRUPTION(51),
    /**
     * The vault is owned by another OS process that this one cannot work through: it does not answer on its
     * socket, or the call ({@code restart(true)}, {@code recover}) needs the vault to itself.
     */
    VAULT_LOCKED(52),
    /** The vault was written by a newer format version than this engine reads. */
    UNSUPPORTED_FORMAT(53),
    /** The vault object was closed, or is read-only. */
    VAULT_CLOSED(54),
    /** A write on a vault opened read-only. */
    READ_ONLY(55),
    /**
     * A stored {@link ColumnType#OBJECT} value does not decode: its class is not on the class path, or it
     * changed incompatibly since the value was written.
     */
    OBJECT_CLASS(56),
    /**
     * The vault's file system is full: a commit, or an artifact, owner or staging file, could not be written.
     * Nothing was half-written. Free space, then retry the call; a process with an id is left paused and
     * resumes with the same call or {@code resumeProcess}. The open vault resumes writing by itself once
     * enough space is free; it need not be reopened.
     */
    DISK_FULL(57),
    /**
     * The OS process that owned the vault and served this one closed or died during the call; another process
     * owns it now (possibly this one). Retriable: a read, or a write with a caller-supplied process id, is safe to
     * call again (the id resumes or reports the process); a write without one may or may not have been applied,
     * which the message says: check before calling it again.
     */
    OWNER_CHANGED(58),
    /** The vault, or the socket of the OS process that owns it, belongs to another OS user. */
    PERMISSION_DENIED(59),
    /**
     * The connection to a shared vault's database was lost while a commit was in flight, so whether the commit
     * happened is not known. The engine settles it by reading what the commit wrote; a caller that sees this code
     * should check (for example {@code tv ps} or {@code tv log}) before calling a write without a process id again.
     */
    COMMIT_UNKNOWN(60);

    private final int code;

    ErrorCode(int code) {
        this.code = code;
    }

    /** The stable numeric code. */
    public int code() {
        return code;
    }

    /** The exit status the {@code tv} command uses for this code. */
    public int exitCode() {
        return code;
    }
}
