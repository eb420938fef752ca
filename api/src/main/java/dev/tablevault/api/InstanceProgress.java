package dev.tablevault.api;

/**
 * How far the active process building a temporary instance had got at the checkpoint a read shows: the mark of a
 * partial read (see {@link Vault#dataframe}). Rows and columns the read returns are exactly what that checkpoint
 * committed.
 *
 * @param processId the active process ({@code executeInstance} or {@code writeInstance}) building the instance
 * @param state its saved state: {@code RUNNING} (running, or left by a crash), {@code PAUSED}, or {@code SETUP}
 *     (a {@code writeInstance} staging its frame)
 * @param builder the builder of the current step, or null (a {@code writeInstance}, every builder finished, or no
 *     checkpoint yet)
 * @param committedRows rows the current step committed: of the index builder while it runs, then of the current
 *     column builder; all rows once every builder finished; the rows staged by a {@code writeInstance}
 * @param rows the rows the instance will have, or -1 while the index builder runs (not known yet)
 */
public record InstanceProgress(String processId, ProcessState state, String builder, long committedRows,
                               long rows) {
}
