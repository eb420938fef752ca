package dev.tablevault.engine.store.rocks;

import dev.tablevault.api.Durability;
import dev.tablevault.engine.store.Family;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Group commit: a merged write must equal the batches applied one after another (puts, deletes and several
 * column families), and concurrent committers must all find their writes durable and whole.
 */
class GroupCommitTest {
    @TempDir
    Path dir;

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Seeded batches over a small key space, so later batches overwrite and delete what earlier ones wrote. */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void mergedWriteEqualsSequentialWrites(long seed) throws Exception {
        try (RocksBackend merged = RocksBackend.open(dir.resolve("m"), true, false, Durability.SYNC, 0, "test");
             RocksBackend sequential = RocksBackend.open(dir.resolve("s"), true, false, Durability.NONE, 0, "test")) {
            Random r = new Random(seed);
            int n = 2 + r.nextInt(8);
            List<WriteBatch> forMerged = new ArrayList<>();
            List<WriteBatch> forSequential = new ArrayList<>();
            try {
                for (int i = 0; i < n; i++) {
                    WriteBatch a = new WriteBatch();
                    WriteBatch c = new WriteBatch();
                    forMerged.add(a);
                    forSequential.add(c);
                    int ops = 1 + r.nextInt(20);
                    for (int k = 0; k < ops; k++) {
                        int cfIndex = r.nextInt(2);
                        String key = "k" + r.nextInt(30);
                        String value = "v" + seed + "-" + i + "-" + k + "-" + "x".repeat(r.nextInt(200));
                        boolean delete = r.nextInt(4) == 0;
                        apply(a, merged, cfIndex, key, value, delete);
                        apply(c, sequential, cfIndex, key, value, delete);
                    }
                }
                try (WriteBatch m = GroupCommit.merge(forMerged)) {
                    assertThat(m.count()).isEqualTo(forMerged.stream().mapToInt(WriteBatch::count).sum());
                    merged.write(m);
                }
                for (WriteBatch c : forSequential) {
                    sequential.write(c);
                }
            } finally {
                forMerged.forEach(WriteBatch::close);
                forSequential.forEach(WriteBatch::close);
            }
            for (int cfIndex = 0; cfIndex < 2; cfIndex++) {
                for (int k = 0; k < 30; k++) {
                    byte[] key = b("k" + k);
                    assertThat(merged.get(family(cfIndex), key))
                            .as("cf %d key k%d", cfIndex, k)
                            .isEqualTo(sequential.get(family(cfIndex), key));
                }
            }
        }
    }

    @Test
    void concurrentCommittersAllLandWhole() throws Exception {
        int threads = 8;
        int perThread = 150;
        Path db = dir.resolve("c");
        try (RocksBackend store = RocksBackend.open(db, true, false, Durability.SYNC, 0, "test")) {
            concurrently(threads, thread -> {
                for (int i = 0; i < perThread; i++) {
                    try (WriteBatch batch = new WriteBatch()) {
                        batch.put(store.handle(Family.META), b("a" + thread + "_" + i), b("x" + i));
                        batch.put(store.handle(Family.DATA), b("b" + thread + "_" + i), b("y" + i));
                        batch.delete(store.handle(Family.META), b("a" + thread + "_" + (i - 1)));
                        store.write(batch);
                    }
                }
                return null;
            });
        }
        try (RocksBackend reopened = RocksBackend.open(db, false, true, Durability.SYNC, 0, "test")) {
            for (int t = 0; t < threads; t++) {
                for (int i = 0; i < perThread; i++) {
                    assertThat(reopened.get(Family.DATA, b("b" + t + "_" + i))).isEqualTo(b("y" + i));
                    byte[] a = reopened.get(Family.META, b("a" + t + "_" + i));
                    if (i == perThread - 1) {
                        assertThat(a).isEqualTo(b("x" + i));
                    } else {
                        assertThat(a).as("deleted by the thread's next batch").isNull();
                    }
                }
            }
        }
    }

    /**
     * An interrupt cannot abandon a queued commit (the leader may be reading its batch): the write completes,
     * is durable, and the caller finds its interrupt flag still set.
     */
    @Test
    void interruptedCommittersStillCommitAndKeepTheirInterruptFlag() throws Exception {
        int threads = 6;
        int perThread = 100;
        Path db = dir.resolve("i");
        try (RocksBackend store = RocksBackend.open(db, true, false, Durability.SYNC, 0, "test")) {
            List<Integer> flagged = concurrently(threads, thread -> {
                int stillInterrupted = 0;
                for (int i = 0; i < perThread; i++) {
                    try (WriteBatch batch = new WriteBatch()) {
                        batch.put(store.handle(Family.META), b("i" + thread + "_" + i), b("x" + i));
                        Thread.currentThread().interrupt();
                        store.write(batch);
                        if (Thread.interrupted()) {
                            stillInterrupted++;
                        }
                    }
                }
                return stillInterrupted;
            });
            assertThat(flagged).as("writes that returned still interrupted, per thread").containsOnly(perThread);
        }
        try (RocksBackend reopened = RocksBackend.open(db, false, true, Durability.SYNC, 0, "test")) {
            for (int t = 0; t < threads; t++) {
                for (int i = 0; i < perThread; i++) {
                    assertThat(reopened.get(Family.META, b("i" + t + "_" + i))).isEqualTo(b("x" + i));
                }
            }
        }
    }

    /** One thread's work in {@link #concurrently}. */
    private interface Work<T> {
        T run(int thread) throws Exception;
    }

    /** Runs {@code work} on {@code threads} threads released together; returns their results in thread order. */
    private static <T> List<T> concurrently(int threads, Work<T> work) throws Exception {
        CyclicBarrier start = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    start.await();
                    return work.run(thread);
                }));
            }
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get(2, TimeUnit.MINUTES));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    private static Family family(int index) {
        return index == 0 ? Family.META : Family.DATA;
    }

    private static void apply(WriteBatch batch, RocksBackend s, int cfIndex, String key, String value, boolean delete)
            throws RocksDBException {
        if (delete) {
            batch.delete(s.handle(family(cfIndex)), b(key));
        } else {
            batch.put(s.handle(family(cfIndex)), b(key), b(value));
        }
    }
}
