package dev.tablevault.api;

/**
 * Sizes and counts of a vault, as {@link Vault#stats()} read them.
 *
 * @param durability         the durability the vault is written with: this handle's, or for a read-only handle
 *                           the one its read-write owner last opened it with
 * @param formatVersion      the vault's storage format version
 * @param tables             tables
 * @param instances          materialized instances, active or not
 * @param temporaryInstances temporary ({@code TEMP_<version>}) instances
 * @param activeProcesses    processes that have not ended (running or paused)
 * @param finishedProcesses  processes that ended, kept in the history
 * @param locks              locks held
 * @param databaseBytes      RocksDB's table files, all column families
 * @param walBytes           RocksDB's write-ahead log files, reused ones included
 * @param artifactBytes      files under the vault's artifact folders
 * @param trimmedProcesses   finished processes the owner trimmed from the history so far (see
 *                           {@link VaultOptions#keepFinishedProcesses(int)})
 * @param trimmedBefore      the end of the newest trimmed process (older ones may be trimmed too), or null when none
 *                           was trimmed
 * @param retention          the retention the owner trims by, as {@code keep newest N[, at most D]}: this handle's
 *                           options, or for a read-only handle what the owner's last trim recorded (null if none)
 * @param backend            where the vault is stored: {@code rocksdb} (a directory) or {@code postgresql} (shared
 *                           by hosts)
 * @param location           the vault directory, or its PostgreSQL URL without the password
 */
public record VaultStats(Durability durability, int formatVersion, int tables, long instances,
                         long temporaryInstances, int activeProcesses, long finishedProcesses, int locks,
                         long databaseBytes, long walBytes, long artifactBytes, long trimmedProcesses,
                         java.time.Instant trimmedBefore, String retention, String backend,
                         String location) {
}
