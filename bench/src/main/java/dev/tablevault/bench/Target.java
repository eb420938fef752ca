package dev.tablevault.bench;

/**
 * One system under test, doing one small durable operation per {@link #op(int)} call. Thread safe: worker
 * {@code thread} (0-based, below {@link #MAX_THREADS}) only ever touches its own keys or table names.
 * {@link #close()} closes every handle and deletes the target's scratch directory.
 */
interface Target extends AutoCloseable {
    int MAX_THREADS = 256;

    /**
     * Operations a fresh target does on one thread before anything is measured: about 9 MiB of WAL, so the first
     * two WAL files fill and later commits append to reused ones, as in a vault that has been running (a new
     * file costs an extra metadata write per fdatasync). Even, as TableVault alternates create and delete.
     */
    int SETTLE_OPS = 16_000;

    /** Row label in result tables. */
    String label();

    /** One operation on behalf of worker {@code thread}. */
    void op(int thread);

    /** Runs {@code ops} operations on worker 0. */
    static void settle(Target target, int ops) {
        for (int i = 0; i < ops; i++) {
            target.op(0);
        }
    }

    @Override
    void close();
}
