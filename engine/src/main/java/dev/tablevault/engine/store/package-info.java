/**
 * Backend-neutral storage: the storage SPI ({@code Backend}, {@code ReadView}, {@code Reads}, {@code KeyRange},
 * {@code Batch}, {@code Family}) the rest of the engine reads and writes through, and what every backend shares:
 * keys ({@code Keys}), chunks of cells ({@code Chunks}), stored objects ({@code ObjectCodec}), the owner's copy of
 * the catalog ({@code CatalogMirror}) and failed writes of the vault's own files ({@code FileErrors}). The engine's
 * process log, pause and resume rules and lock rules stay above this package, written once for every backend.
 *
 * <p>May use {@code codec}; nothing else of the engine, and no backend's library: RocksDB lives in
 * {@code store.rocks}.
 *
 * <p>Thread safety: a {@code Backend} is thread safe; a {@code ReadView}, a {@code KeyRange} or a {@code Batch} is
 * used by one thread (a view's {@code borrow()}ed copies by others), and views and ranges are closed by it.
 */
package dev.tablevault.engine.store;
