/**
 * The vault's RocksDB database ({@code Store}, opened by {@code Opener}): column families, keys
 * ({@code Keys}), chunks of cells ({@code Chunks}), group commit, WAL-loss detection and reporting, and the
 * translation of RocksDB's errors into the engine's ({@code StoreErrors}). Every RocksDB type and
 * {@code RocksDBException} stays inside this package: the rest of the engine writes through {@code Batch} and
 * {@code Store.write}.
 *
 * <p>May use {@code codec} and the RocksDB library; nothing else of the engine.
 *
 * <p>Thread safety: {@code Store} is thread safe and owns (and closes) every native handle it creates; a
 * {@code View} or a {@code Batch} is used by one thread and closed by it.
 */
package dev.tablevault.engine.store;
