/**
 * The front door: {@link dev.tablevault.engine.TableVault} opens a vault (and restarts what it left
 * unfinished), and {@code VaultImpl} implements {@link dev.tablevault.api.Vault}: it checks the arguments of
 * each call, turns a write into an operation for the process runner and hands reads to {@code VaultReads}
 * (catalog; {@code PartialReads} for a temporary instance a process is building) and {@code ProcessQueries}
 * (processes, locks);
 * {@code Verify} checks a whole vault; {@code Ops} rebuilds an operation from its recorded arguments;
 * {@code PinnedReads} shares one snapshot among several reads (the Arrow module's).
 *
 * <p>A write flows down: front, {@code exec} (executions) or {@code ops} (every other write), {@code process}
 * (the runner: locks, process log, checkpoints, commit), {@code data} (catalog, cells, artifacts),
 * {@code store} (RocksDB). {@code codec}, {@code lock}, {@code ref} and {@code builtin} are leaves.
 *
 * <p>May use every package below it; nothing below imports it. Thread safe: every vault call holds the read
 * side of a gate ({@code Gate}) that {@code close()} takes for writing.
 */
package dev.tablevault.engine;
