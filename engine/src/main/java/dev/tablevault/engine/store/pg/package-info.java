/**
 * The PostgreSQL backend: a vault shared by many hosts in one database. Storage: {@code PgBackend} (batches as
 * transactions with their fence check first), its schema and migrations ({@code Schema}, {@code V<n>.sql}),
 * snapshots ({@code PgView}) and the translation of the server's errors ({@code PgErrors}). Coordination: host
 * leases ({@code HostLease}), the sweeper ({@code Sweeper}), claims of runs ({@code Claims}) and lock rows
 * ({@code PgLocks}). pgjdbc and HikariCP types stay inside this package.
 *
 * <p>May use the storage SPI and {@code Keys} of {@code store}, and {@code lock}'s rules; nothing else of the
 * engine.
 *
 * <p>Thread safety: {@code PgBackend} is thread safe and closes its pool in {@code close()}; a view is used by one
 * thread (its borrowed views by others).
 */
package dev.tablevault.engine.store.pg;
