/**
 * Apache Arrow in and out of a vault: {@link dev.tablevault.arrow.VaultArrow} and
 * {@link dev.tablevault.arrow.ArrowSnapshot} stream an instance as Arrow record batches from one snapshot;
 * {@link dev.tablevault.arrow.ArrowExport} writes Arrow IPC, Parquet (through DuckDB, {@code Duck}), CSV and JSON
 * lines; {@link dev.tablevault.arrow.ArrowImport} reads Arrow IPC and Parquet batch by batch or into a frame, and
 * {@link dev.tablevault.arrow.ArrowLoad} is the {@code arrow} built-in builder.
 * {@link dev.tablevault.arrow.VaultSql} runs one read-only SQL SELECT over a snapshot's streams with DuckDB
 * ({@code SqlStatement} parses and rewrites it, {@code DuckSession} locks the database down), and
 * {@link dev.tablevault.arrow.SqlExport} writes its result to a file.
 *
 * <p>Types map both ways through {@code Types}; every field carries {@code tablevault.type} metadata so a round
 * trip restores the exact column type. May use the public API, the engine's {@code PinnedReads},
 * {@code FrameStore.Cursor} and {@code Chunks}, Arrow and DuckDB. A snapshot is used by one thread at a time;
 * each of its readers by one thread.
 */
package dev.tablevault.arrow;
