package dev.tablevault.engine.store.pg;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;

/**
 * A daemon thread that runs a task every {@code intervalNanos} (plus up to {@code jitter} of it at random, so hosts
 * started together do not sweep in step) until {@link #close()}, which stops and joins it: no thread outlives close.
 * The task must not throw; it runs on this one thread only.
 */
final class Ticker implements AutoCloseable {
    private final Thread thread;
    private final long intervalNanos;
    private final double jitter;
    private final Runnable task;
    private volatile boolean closed;

    private Ticker(String name, long intervalNanos, double jitter, Runnable task) {
        this.intervalNanos = intervalNanos;
        this.jitter = jitter;
        this.task = task;
        this.thread = new Thread(this::loop, name);
        thread.setDaemon(true);
    }

    /** Starts the thread; the task first runs one interval from now. */
    static Ticker start(String name, long intervalNanos, double jitter, Runnable task) {
        Ticker t = new Ticker(name, intervalNanos, jitter, task);
        t.thread.start();
        return t;
    }

    private void loop() {
        while (!closed) {
            long wait = intervalNanos + (long) (intervalNanos * jitter * ThreadLocalRandom.current().nextDouble());
            long until = System.nanoTime() + wait;
            // parkNanos may return early (unpark by close, spuriously): park again for what is left
            for (long left = wait; left > 0 && !closed; left = until - System.nanoTime()) {
                LockSupport.parkNanos(this, left);
            }
            if (!closed) {
                task.run();
            }
        }
    }

    /** Stops the thread and waits for it to end, including a task run in progress (unless called by the task). */
    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(thread);
        if (Thread.currentThread() == thread) {
            return; // closed from its own task: the loop ends when the task returns
        }
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true; // keep waiting: the thread must not outlive close; re-raised below
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
