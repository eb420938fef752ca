package dev.tablevault.engine.exec;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Row-wise builder code on several threads, for one calling thread (a step's process thread, or the caller's
 * thread serving a build). The threads take the next row themselves and queue what they built; the calling thread
 * takes the finished rows in batches (it is woken when a batch is ready, or after at most 1 ms) and hands each to
 * {@code done} (which may commit a checkpoint). So rows keep
 * starting while the calling thread commits: a thread waits only while the window is full, {@code window} rows
 * taken and not yet taken up by the calling thread (so at most twice that many finished rows wait in memory). Once the code or {@code done} failed, or {@code stop} is true, no further row
 * starts; the rows already running finish and are still handed on. An {@link Error} is rethrown at once. Every
 * thread has ended when {@link #run} returns. Used once, by the calling thread.
 */
public final class RowThreads {
    /** The code of one row, on a pool thread. */
    @FunctionalInterface
    public interface Code {
        List<Object> build(long row) throws Exception;
    }

    /** Takes one finished row, on the calling thread; a runtime exception counts as a failure. */
    @FunctionalInterface
    public interface Done {
        void accept(long row, List<Object> values) throws IOException;
    }

    private record Result(long row, List<Object> values, Throwable failure) {
    }

    /** What a thread queues as it ends. */
    private static final Result END = new Result(-1, null, null);

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition room = lock.newCondition();
    /**
     * How long the calling thread waits for {@link #wake} rows before it takes those there are. Waking it for
     * every row cost a context switch per row (64,000 a second with 128 threads of 2 ms calls).
     */
    private static final long GATHER_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final Queue<Result> finished = new ConcurrentLinkedQueue<>();
    /** Rows queued since the calling thread last took them (roughly: it is only a reason to wake it). */
    private final AtomicInteger ready = new AtomicInteger();
    private final Thread caller = Thread.currentThread();
    /** Queued rows that wake the calling thread: fewer than the window holds, so no thread waits for room. */
    private final int wake;
    private final int window;
    private final LongSupplier rows;
    private final BooleanSupplier stop;
    private final Code code;
    /** Rows taken and not yet handed on; guarded by {@link #lock}. */
    private int outstanding;
    private volatile boolean halted;

    private RowThreads(int threads, int window, LongSupplier rows, BooleanSupplier stop, Code code) {
        this.window = window;
        this.wake = Math.max(1, Math.min(threads, window / 4));
        this.rows = rows;
        this.stop = stop;
        this.code = code;
    }

    /**
     * Builds the rows {@code rows} gives (the next row, or a negative number when there is none; called under a
     * lock, so it needs no thread safety of its own) on {@code threads} threads named {@code name}, at most
     * {@code window} (at least {@code threads}) taken and not handed to {@code done}; returns the first failure,
     * later ones suppressed in it, or null.
     */
    public static Throwable run(String name, int threads, int window, LongSupplier rows, BooleanSupplier stop,
                                Code code, Done done) throws InterruptedException, IOException {
        return new RowThreads(threads, Math.max(threads, window), rows, stop, code).run(name, threads, done);
    }

    private Throwable run(String name, int threads, Done done) throws InterruptedException, IOException {
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
        Throwable failure = null;
        try {
            for (int i = 0; i < threads; i++) {
                pool.execute(this::work);
            }
            List<Result> batch = new ArrayList<>();
            int ended = 0;
            while (ended < threads) {
                if (Thread.interrupted()) {
                    throw new InterruptedException("interrupted while builder threads ran");
                }
                for (Result x = finished.poll(); x != null; x = finished.poll()) {
                    batch.add(x);
                }
                if (batch.isEmpty()) {
                    LockSupport.parkNanos(this, GATHER_NANOS);
                    continue;
                }
                ready.addAndGet(-batch.size());
                // The batch is handed on: its room is free before done runs (done may commit a checkpoint).
                int handed = 0;
                for (Result x : batch) {
                    handed += x != END && x.row() >= 0 ? 1 : 0;
                }
                lock.lock();
                try {
                    outstanding -= handed;
                    room.signalAll();
                } finally {
                    lock.unlock();
                }
                for (Result x : batch) {
                    if (x == END) {
                        ended++;
                    } else if (x.failure() instanceof Error e) {
                        throw e;
                    } else if (x.failure() != null) {
                        failure = first(failure, x.failure());
                    } else {
                        try {
                            done.accept(x.row(), x.values());
                        } catch (RuntimeException e) {
                            failure = first(failure, e);
                            halt();
                        }
                    }
                }
                batch.clear();
            }
            return failure;
        } finally {
            halt();
            pool.shutdownNow();
            if (!pool.awaitTermination(1, TimeUnit.MINUTES)) {
                throw new IllegalStateException("the threads of " + name + " did not end");
            }
        }
    }

    private static Throwable first(Throwable failure, Throwable e) {
        if (failure == null) {
            return e;
        }
        failure.addSuppressed(e);
        return failure;
    }

    private void halt() {
        halted = true;
        lock.lock();
        try {
            room.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** One thread: take the next row while there is room, build it, queue the result. */
    private void work() {
        try {
            while (true) {
                long row;
                lock.lock();
                try {
                    while (outstanding >= window && !halted) {
                        room.await();
                    }
                    if (halted || stop.getAsBoolean()) {
                        return;
                    }
                    row = rows.getAsLong();
                    if (row < 0) {
                        return;
                    }
                    outstanding++;
                } finally {
                    lock.unlock();
                }
                Result r;
                try {
                    r = new Result(row, code.build(row), null);
                } catch (Throwable t) {
                    halted = true; // no new row starts after a failure
                    r = new Result(row, null, t);
                }
                queue(r);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the calling thread has stopped waiting for us
        } catch (RuntimeException e) {
            halted = true;
            queue(new Result(-1, null, e)); // the row source failed
        } finally {
            queue(END);
        }
    }

    private void queue(Result r) {
        finished.add(r);
        if (ready.incrementAndGet() >= wake || r == END || r.failure() != null) {
            LockSupport.unpark(caller);
        }
    }
}
