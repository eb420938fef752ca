package dev.tablevault.bench;

/**
 * One system under test, doing one small durable operation per {@link #op(int)} call. Thread safe: worker
 * {@code thread} (0-based, below {@link #MAX_THREADS}) only ever touches its own keys or table names.
 * {@link #close()} closes every handle and deletes the target's scratch directory.
 */
interface Target extends AutoCloseable {
    int MAX_THREADS = 256;

    /** Row label in result tables. */
    String label();

    /** One operation on behalf of worker {@code thread}. */
    void op(int thread);

    @Override
    void close();
}
