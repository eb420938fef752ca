package dev.tablevault.engine.process;

import dev.tablevault.engine.store.Backend;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A host's part in failover on a vault shared by hosts: every {@code every} (give or take a quarter, so hosts do
 * not sweep in step) it sweeps ({@link Backend#sweepOrphans}: hosts whose lease ran out are declared dead, their
 * runs orphaned under new fences) and adopts up to {@link #AT_ONCE} orphaned runs at a time, each on its own
 * thread, through {@code restart}'s path: claimed under a new fence, then resumed from its last checkpoint,
 * reverted if its setup had not finished, or left paused once it used its attempts. A run whose builder code
 * this host lacks is skipped for good (the host's code does not change while it is open) and left to a host that
 * has it; so is a run with no active process (left by hand). Two hosts adopting one run: one claim wins, the
 * other's is refused and logged.
 *
 * <p>Thread safe. {@link #close()} stops the sweeps, interrupts the adopted runs (which pause, as an interrupted
 * run does) and joins every thread it started.
 */
public final class Adoption implements AutoCloseable {
    /** Orphaned runs this host resumes at once. */
    public static final int AT_ONCE = 8;
    private static final Logger LOG = LoggerFactory.getLogger(Adoption.class);
    private static final AtomicInteger THREADS = new AtomicInteger();

    /** What an attempt to adopt one orphaned run came to. */
    public enum Outcome {
        /** Claimed and resumed (or settled) here; its own failure, if any, is reported by restart's path. */
        ADOPTED,
        /** Its builder code is not registered here: left to another host. */
        LACKS_CODE,
        /** It is no longer active. */
        GONE
    }

    /** Adopts one orphaned run, inside whatever guards the vault's calls. */
    @FunctionalInterface
    public interface Adopter {
        Outcome adopt(String processId);
    }

    private final Backend store;
    private final Adopter adopter;
    private final long everyNanos;
    private final Set<String> running = ConcurrentHashMap.newKeySet();
    /** Runs this host leaves alone: it lacks their code, or they have no active process. */
    private final Set<String> skipped = ConcurrentHashMap.newKeySet();
    private final List<Thread> threads = Collections.synchronizedList(new ArrayList<>());
    private final ExecutorService workers;
    private final Thread sweeper;
    private final Object wake = new Object();
    private volatile boolean closed;

    private Adoption(Backend store, Duration every, Adopter adopter) {
        this.store = store;
        this.adopter = adopter;
        this.everyNanos = every.toNanos();
        this.workers = Executors.newFixedThreadPool(AT_ONCE, r -> {
            Thread t = daemon(r, "tablevault-adopt-" + THREADS.incrementAndGet());
            threads.add(t);
            return t;
        });
        this.sweeper = daemon(this::loop, "tablevault-sweep " + store.location());
    }

    /** Starts sweeping and adopting on {@code store} every {@code every}. */
    public static Adoption start(Backend store, Duration every, Adopter adopter) {
        Adoption a = new Adoption(store, every, adopter);
        a.sweeper.start();
        return a;
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private void loop() {
        while (!closed) {
            tick();
            long wait = ThreadLocalRandom.current().nextLong(everyNanos * 3 / 4, everyNanos * 5 / 4 + 1);
            synchronized (wake) {
                try {
                    if (!closed) {
                        TimeUnit.NANOSECONDS.timedWait(wake, wait); // the period between sweeps
                    }
                } catch (InterruptedException e) {
                    return; // close() interrupts
                }
            }
        }
    }

    /** One sweep, and the adoption of as many orphaned runs as there are free threads. */
    private void tick() {
        int free = AT_ONCE - running.size();
        if (free <= 0) {
            return;
        }
        try {
            for (String pid : store.sweepOrphans(free, Set.copyOf(skipped))) {
                if (!closed && running.add(pid)) {
                    workers.execute(() -> adopt(pid));
                }
            }
        } catch (RuntimeException e) {
            // the database is unreachable, or this host lost its lease: its own lease will tell; try at the next tick
            LOG.warn("sweeping for orphaned processes on {} failed; trying again at the next tick", store.location(),
                    e);
        }
    }

    private void adopt(String pid) {
        try {
            Outcome o = adopter.adopt(pid);
            if (o == Outcome.LACKS_CODE) {
                skipped.add(pid);
                LOG.info("orphaned process {} needs builder code this host lacks; left to a host that has it", pid);
            } else if (o == Outcome.GONE) {
                skipped.add(pid);
                LOG.warn("orphaned run {} has no active process; 'tv verify' reports it", pid);
            } else {
                LOG.info("adopted orphaned process {}", pid);
            }
        } catch (RuntimeException | Error e) {
            LOG.warn("adopting orphaned process {} failed; another host (or this one, at a later tick) may take it",
                    pid, e);
        } finally {
            running.remove(pid);
        }
    }

    @Override
    public void close() {
        closed = true;
        sweeper.interrupt();
        workers.shutdownNow();
        boolean interrupted = false;
        while (true) {
            try {
                sweeper.join();
                while (!workers.awaitTermination(1, TimeUnit.MINUTES)) {
                    LOG.warn("adopted processes on {} still running a minute after close; waiting for them",
                            store.location());
                }
                for (Thread t : List.copyOf(threads)) {
                    t.join(); // a pool counts as terminated a little before its threads end
                }
                break;
            } catch (InterruptedException e) {
                interrupted = true; // close must not leave a thread behind; keep the interrupt for the caller
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
