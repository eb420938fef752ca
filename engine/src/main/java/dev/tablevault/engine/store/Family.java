package dev.tablevault.engine.store;

/**
 * The vault's four key spaces. Keys are the engine's bytes ({@link Keys}), ordered as unsigned bytes (memcmp) in
 * every backend; each backend keeps the families apart (RocksDB: column families; PostgreSQL: tables).
 */
public enum Family {
    /** The vault record, tables, instances and builder specs. */
    META,
    /** Process records, their write-ahead logs and finished history. */
    PROC,
    /** Durable lock records of paused or interrupted processes. */
    LOCKS,
    /** Cell chunks. */
    DATA
}
