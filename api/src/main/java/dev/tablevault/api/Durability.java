package dev.tablevault.api;

/** How commits reach the disk. */
public enum Durability {
    /** Every commit and checkpoint is fsynced before it returns; concurrent commits share fsyncs. */
    SYNC,
    /** The write-ahead log is fsynced at most every {@link VaultOptions#groupedSyncMillis()} ms: survives a
     * process crash, may lose the last interval on power loss. */
    GROUPED,
    /** No fsync; survives a process crash only. For tests. */
    NONE
}
