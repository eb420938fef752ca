/**
 * What a vault holds, read and written as records and cells: {@code Catalog} (tables, instances, builders in
 * the {@code meta} family), {@code FrameStore} and {@code ChunkTable} (cells in the {@code data} family, by
 * chunk), {@code Artifacts} (artifact folders, their checksums and durability), {@code MetaWrites} (a record put
 * in {@code meta}) and {@code Names} (what a
 * valid table, version, column, builder or process id is).
 *
 * <p>May use {@code store}, {@code codec}, {@code ref}; knows nothing of processes or operations.
 *
 * <p>Thread safety: the classes keep no state of their own (a {@code ChunkTable} its cache, which is thread
 * safe); they are as safe as the {@code Backend} or view they read; a row cursor is used by one thread.
 */
package dev.tablevault.engine.data;
