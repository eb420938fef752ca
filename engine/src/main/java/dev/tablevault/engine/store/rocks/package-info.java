/**
 * The embedded backend: the vault's RocksDB database ({@code RocksBackend}, opened by {@code Opener}) with one
 * column family per {@code Family}, snapshots ({@code RocksView}) and bounded iterators ({@code RocksRange}), group
 * commit, the durable mark, WAL-loss detection and reporting, full-disk handling, and the translation of RocksDB's
 * errors into the engine's ({@code StoreErrors}, {@code OpenErrors}). Every RocksDB type and
 * {@code RocksDBException} stays inside this package: the rest of the engine writes through {@code Batch} and
 * {@code Backend.write}, and only the open and recovery path of a vault on disk names {@code RocksBackend}.
 *
 * <p>May use {@code store}, {@code codec} and the RocksDB library; nothing else of the engine.
 *
 * <p>Thread safety: {@code RocksBackend} is thread safe and owns (and closes) every native handle it creates; a
 * {@code RocksView} or a {@code RocksRange} is used by one thread and closed by it.
 */
package dev.tablevault.engine.store.rocks;
