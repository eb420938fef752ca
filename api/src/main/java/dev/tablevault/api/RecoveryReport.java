package dev.tablevault.api;

import java.util.List;
import java.util.Objects;

/**
 * What a recovery found and gave up: {@code TableVault.recover} opens a vault whose write-ahead log lost
 * durable writes at the last consistent point, and records this report in the vault's {@code recovery/}
 * folder. The names are what the dropped write batches touched, as far as their keys tell: a process whose
 * last records were dropped may show up again as active (its earlier records survived) or not at all.
 *
 * @param lost               false when there was nothing to recover (then the vault was not changed)
 * @param description        where the log stopped checking out and what recovery reaches
 * @param recoveredSequence  the last RocksDB sequence number the vault now holds
 * @param lostToSequence     the highest sequence number known to be lost (lost writes are above recoveredSequence)
 * @param droppedBatches     how many intact write batches after the damage were dropped
 * @param processes          process ids the dropped batches wrote records of
 * @param tables             tables the dropped batches created, changed or deleted
 * @param instances          instances ({@code table/id}) the dropped batches created, changed or deleted
 * @param reportFile         the report's file in the vault, relative to the vault folder (null when nothing was lost)
 */
public record RecoveryReport(boolean lost, String description, long recoveredSequence, long lostToSequence,
                             int droppedBatches, List<String> processes, List<String> tables, List<String> instances,
                             String reportFile) {
    public RecoveryReport {
        Objects.requireNonNull(description, "description");
        processes = List.copyOf(processes);
        tables = List.copyOf(tables);
        instances = List.copyOf(instances);
    }
}
