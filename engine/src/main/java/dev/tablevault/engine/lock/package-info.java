/**
 * The in-memory lock table ({@code LockManager}): shared and exclusive locks on the vault, tables, instances
 * and artifact folders, with deadlock detection; {@code LockRules}, the conflict rules and lock errors it shares
 * with the PostgreSQL lock table ({@code store.pg.PgLocks}). It asks the process runner about holders only through
 * {@code LockManager.Holders}; it uses nothing else of the engine.
 *
 * <p>Thread safety: thread safe; its monitor is never held while a caller waits.
 */
package dev.tablevault.engine.lock;
