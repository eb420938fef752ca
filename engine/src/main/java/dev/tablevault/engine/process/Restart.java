package dev.tablevault.engine.process;

import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.ProcessState;
import dev.tablevault.api.TvProcessException;
import dev.tablevault.engine.codec.Records.ProcessRecord;
import dev.tablevault.engine.runner.RunnerId;
import dev.tablevault.engine.store.Batch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code restart(true)}: resumes, reverts or gives up on every process a previous owner left active.
 *
 * <p>Thread safe as far as it goes: {@link #restartAll} is called once, while the vault opens; the threads it
 * starts end before it returns.
 */
final class Restart {
    private static final Logger LOG = LoggerFactory.getLogger(Restart.class);

    /** Top-level processes a restart resumes at once; their commits share fsyncs through group commit. */
    static final int THREADS = 8;

    private final OpenVault vault;
    private final ProcessLog log;
    private final Runner runner;

    Restart(OpenVault vault, ProcessLog log, Runner runner) {
        this.vault = vault;
        this.log = log;
        this.runner = runner;
    }

    /**
     * Resumes every active process, each on its own: one that fails is reported and left as its failure left
     * it. A process whose setup had not finished is reverted; one that has used its attempts stays paused.
     * Stops go first, one by one, as a stop decides the fate of its target; then sub-processes one by one, as
     * before their parents, whose builders might otherwise start them a second time; then the other processes
     * on up to {@link #THREADS} threads, which end before this returns. A process that needs a lock
     * another one holds waits for it while that one runs, as any operation would, and fails at once while
     * that one is paused.
     */
    List<String> restartAll() {
        vault.store().sweep(); // a dead host's runs: orphaned to be claimed here, or (never persisted) gone with their locks
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        List<ProcessRecord> one = new ArrayList<>();
        List<ProcessRecord> many = new ArrayList<>();
        for (ProcessRecord r : log.activeRecords()) {
            (r.operation().equals("stopProcess") || r.parentId() != null ? one : many).add(r);
        }
        one.sort(Comparator.comparing(r -> !r.operation().equals("stopProcess")));
        for (ProcessRecord r : one) {
            restartOne(r.id(), failures);
        }
        if (many.size() <= 1) {
            many.forEach(r -> restartOne(r.id(), failures));
            return failures;
        }
        AtomicInteger next = new AtomicInteger();
        List<Thread> threads = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(THREADS, many.size()), r -> {
            Thread t = new Thread(r, threadName(vault.dir()));
            t.setDaemon(true);
            threads.add(t);
            return t;
        });
        List<Future<?>> workers = new ArrayList<>();
        try {
            for (int i = 0; i < Math.min(THREADS, many.size()); i++) {
                workers.add(pool.submit(() -> {
                    for (int k = next.getAndIncrement(); k < many.size(); k = next.getAndIncrement()) {
                        restartOne(many.get(k).id(), failures);
                    }
                }));
            }
            for (Future<?> w : workers) {
                w.get();
            }
        } catch (ExecutionException e) {
            // restartOne reports every throwable as a failure, so only one thrown while reporting arrives here.
            throw Sneaky.<RuntimeException>rethrow(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TvProcessException(ErrorCode.PROCESS_STATE, "interrupted while restarting the vault's"
                    + " processes; those not yet resumed stay active: open it again with restart(true)", e);
        } finally {
            pool.shutdownNow();
            joinQuietly(threads);
        }
        return failures;
    }

    /** The name of the threads restarting the vault at {@code dir}. */
    static String threadName(Path dir) {
        return "tablevault-restart " + dir;
    }

    /**
     * Waits until the restart threads have ended (a pool counts as terminated a little before its threads do),
     * so that none outlives the restart; an interrupt only cuts it short.
     */
    private static void joinQuietly(List<Thread> threads) {
        try {
            for (Thread t : List.copyOf(threads)) {
                t.join(TimeUnit.MINUTES.toMillis(1));
                if (t.isAlive()) {
                    LOG.warn("restart thread {} still running after a minute", t.getName());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Restarts one active process; any failure, {@code Error}s included, is added to {@code failures} and logged. */
    void restartOne(String pid, List<String> failures) {
        ProcessRecord rec = log.active(pid);
        if (rec == null) {
            return;
        }
        try {
            ProcessContext probe = runner.dormant(pid);
            if (!rec.setupDone()) {
                probe.claimRun();
                Batch b = new Batch();
                probe.op.revert(probe, b);
                ProcessLog.end(probe, b, ProcessState.REVERTED, "restart: its setup had not finished");
                vault.store().write(b);
                vault.lockManager().releaseAll(pid);
            } else if (rec.attempts() >= vault.options().maxRestartAttempts()) {
                // Saved as the process's error, read by the API and by tv alike: no method or command names.
                String why = "restart gave up after " + rec.attempts() + " attempts; fix the cause, then resume or"
                        + " stop it";
                if (rec.state() != ProcessState.PAUSED || !why.equals(rec.error())) {
                    log.putRecord(rec, rec.with(ProcessState.PAUSED, why, vault.clock().millis()));
                }
                failures.add(pid + ": " + why);
            } else {
                RunnerId me = RunnerId.current();
                log.putRecord(rec, rec.attempt(vault.clock().millis(), me.pid(), me.startMillis()));
                runner.resume(pid);
            }
        } catch (Throwable e) {
            // Any throwable: an Error or a checked exception from one process's builder (the process paused on
            // it) must not end the open nor the other processes' restart; its attempt is already counted.
            LOG.warn("restart could not finish process {}: {}", pid, e.toString());
            failures.add(pid + ": " + Settlement.describe(e));
        }
    }
}
