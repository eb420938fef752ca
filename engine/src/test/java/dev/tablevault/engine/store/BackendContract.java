package dev.tablevault.engine.store;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every {@link Backend} must do, whatever stores the bytes: a subclass opens a fresh, empty, writable backend
 * and every test here runs against it.
 */
public abstract class BackendContract {
    protected Backend backend;

    /** A new, empty, writable backend. */
    protected abstract Backend open();

    @BeforeEach
    void openBackend() {
        backend = open();
    }

    @AfterEach
    void closeBackend() {
        backend.close();
    }

    protected static byte[] b(int... bytes) {
        byte[] out = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            out[i] = (byte) bytes[i];
        }
        return out;
    }

    protected void write(java.util.function.Consumer<Batch> changes) {
        Batch batch = new Batch();
        changes.accept(batch);
        backend.write(batch);
    }

    protected static List<String> keys(Reads reads, Family f, byte[] prefix) {
        List<String> out = new ArrayList<>();
        reads.scan(f, prefix, (k, v) -> out.add(Arrays.toString(k)));
        return out;
    }

    @Test
    void instanceKeysArePositiveIncreasingAndNeverRepeatedAcrossThreads() throws Exception {
        long first = backend.newInstanceKey();
        long second = backend.newInstanceKey();
        assertThat(first).isPositive();
        assertThat(second).isGreaterThan(first);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<CompletableFuture<List<Long>>> draws = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                draws.add(CompletableFuture.supplyAsync(() -> {
                    List<Long> keys = new ArrayList<>();
                    for (int i = 0; i < 50; i++) {
                        keys.add(backend.newInstanceKey());
                    }
                    return keys;
                }, pool));
            }
            java.util.Set<Long> all = new java.util.HashSet<>();
            for (CompletableFuture<List<Long>> d : draws) {
                all.addAll(d.get());
            }
            assertThat(all).hasSize(200).allMatch(k -> k > second);
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void laterChangesOfAKeyWinWithinABatch() {
        write(w -> {
            w.put(Family.META, b(1), b(10));
            w.put(Family.META, b(1), b(11));
            w.put(Family.META, b(2), b(20));
            w.delete(Family.META, b(2));
            w.delete(Family.META, b(3));
            w.put(Family.META, b(3), b(30));
            w.put(Family.PROC, b(1), b(99));
        });
        assertThat(backend.get(Family.META, b(1))).containsExactly(11);
        assertThat(backend.get(Family.META, b(2))).isNull();
        assertThat(backend.get(Family.META, b(3))).containsExactly(30);
        assertThat(backend.get(Family.PROC, b(1))).containsExactly(99);
        assertThat(backend.get(Family.DATA, b(1))).isNull();
    }

    @Test
    void getAllReadsManyKeysOfOneFamilyInTheOrderAskedAndFromAView() {
        write(w -> {
            w.put(Family.META, b(1), b(10));
            w.put(Family.META, b(3), b(30));
            w.put(Family.META, b(3, 0), new byte[0]);
            w.put(Family.PROC, b(2), b(20));
        });
        List<byte[]> keys = List.of(b(3), b(2), b(1), b(9), b(3), b(3, 0));
        assertThat(backend.getAll(Family.META, keys)).usingElementComparator(Arrays::compare)
                .containsExactly(b(30), null, b(10), null, b(30), new byte[0]);
        assertThat(backend.getAll(Family.PROC, List.of(b(2), b(1)))).usingElementComparator(Arrays::compare)
                .containsExactly(b(20), null);
        assertThat(backend.getAll(Family.DATA, List.of())).isEmpty();
        try (ReadView view = backend.view()) {
            write(w -> {
                w.put(Family.META, b(1), b(11));
                w.delete(Family.META, b(3));
                w.put(Family.META, b(9), b(90));
            });
            assertThat(view.getAll(Family.META, List.of(b(1), b(3), b(9)))).usingElementComparator(Arrays::compare)
                    .containsExactly(b(10), b(30), null);
        }
        assertThat(backend.getAll(Family.META, List.of(b(1), b(3), b(9)))).usingElementComparator(Arrays::compare)
                .containsExactly(b(11), null, b(90));
    }

    @Test
    void aPutAfterARangeDeleteSurvivesIt() {
        write(w -> {
            for (int i = 0; i < 5; i++) {
                w.put(Family.DATA, b(7, i), b(i));
            }
        });
        write(w -> {
            w.put(Family.DATA, b(7, 1), b(100));
            w.deleteRange(Family.DATA, b(7, 0), b(7, 4));
            w.put(Family.DATA, b(7, 2), b(102));
        });
        assertThat(keys(backend, Family.DATA, b(7))).containsExactly("[7, 2]", "[7, 4]");
        assertThat(backend.get(Family.DATA, b(7, 2))).containsExactly(102);
    }

    @Test
    void keysOrderAsUnsignedBytesThenLength() {
        byte[][] sorted = {b(), b(0x00), b(0x00, 0x00), b(0x00, 0xff), b(0x01), b(0x7f), b(0x7f, 0x00), b(0x80),
                b(0xff), b(0xff, 0x00), b(0xff, 0xff), b(0xff, 0xff, 0xff)};
        write(w -> {
            for (int i = sorted.length - 1; i >= 0; i--) {
                w.put(Family.META, sorted[i], b(i));
            }
        });
        List<String> expected = new ArrayList<>();
        for (byte[] k : sorted) {
            expected.add(Arrays.toString(k));
        }
        assertThat(keys(backend, Family.META, b())).containsExactlyElementsOf(expected);
        List<String> backwards = new ArrayList<>();
        backend.scanBackwards(Family.META, b(), (k, v) -> backwards.add(Arrays.toString(k)));
        assertThat(backwards).containsExactlyElementsOf(reversed(expected));
        // prefixes ending in 0xff have no successor of their length: the scan must still stop at the prefix's end
        assertThat(keys(backend, Family.META, b(0xff))).containsExactly("[-1]", "[-1, 0]", "[-1, -1]",
                "[-1, -1, -1]");
        assertThat(keys(backend, Family.META, b(0xff, 0xff))).containsExactly("[-1, -1]", "[-1, -1, -1]");
        assertThat(keys(backend, Family.META, b(0x00))).containsExactly("[0]", "[0, 0]", "[0, -1]");
        assertThat(keys(backend, Family.META, b(0x7f))).containsExactly("[127]", "[127, 0]");
        assertThat(backend.lastKey(Family.META)).containsExactly(0xff, 0xff, 0xff);
        assertThat(backend.lastKey(Family.DATA)).isNull();
    }

    @Test
    void scansForwardFromBackwardsStopEarlyAndPage() {
        int n = 3000;
        write(w -> {
            for (int i = 0; i < n; i++) {
                w.put(Family.PROC, b(5, i >> 8, i & 0xff), b(i & 0xff));
            }
            w.put(Family.PROC, b(4, 0xff), b(0));
            w.put(Family.PROC, b(6), b(0));
        });
        List<Integer> seen = new ArrayList<>();
        backend.scan(Family.PROC, b(5), (k, v) -> seen.add(((k[1] & 0xff) << 8) | (k[2] & 0xff)));
        assertThat(seen).hasSize(n).isSorted();
        assertThat(seen.get(n - 1)).isEqualTo(n - 1);

        List<Integer> back = new ArrayList<>();
        backend.scanBackwards(Family.PROC, b(5), (k, v) -> back.add(((k[1] & 0xff) << 8) | (k[2] & 0xff)));
        assertThat(back).hasSize(n).isSortedAccordingTo((x, y) -> Integer.compare(y, x));

        List<Integer> from = new ArrayList<>();
        backend.scanFrom(Family.PROC, b(5), b(5, 10, 0), (k, v) -> from.add(((k[1] & 0xff) << 8) | (k[2] & 0xff)));
        assertThat(from).hasSize(n - 2560).first().isEqualTo(2560);

        int[] visits = {0};
        backend.scan(Family.PROC, b(5), (k, v) -> ++visits[0] < 3);
        assertThat(visits[0]).isEqualTo(3);
        visits[0] = 0;
        backend.scanBackwards(Family.PROC, b(5), (k, v) -> ++visits[0] < 2);
        assertThat(visits[0]).isEqualTo(2);
        assertThat(keys(backend, Family.PROC, b(9))).isEmpty();
        assertThat(keys(backend, Family.META, b())).isEmpty();
    }

    @Test
    void aViewSeesItsSnapshotAndSoDoesABorrowedViewOnAnotherThread() throws Exception {
        write(w -> w.put(Family.META, b(1), b(1)));
        ExecutorService other = Executors.newSingleThreadExecutor();
        try (ReadView view = backend.view()) {
            write(w -> {
                w.put(Family.META, b(1), b(2));
                w.put(Family.DATA, b(0, 0, 0, 0, 0, 0, 0, 3, 0), b(1));
            });
            assertThat(view.get(Family.META, b(1))).containsExactly(1);
            assertThat(keys(view, Family.DATA, b())).isEmpty();
            try (ReadView borrowed = view.borrow()) {
                write(w -> w.put(Family.META, b(2), b(2)));
                byte[] there = CompletableFuture.supplyAsync(() -> borrowed.get(Family.META, b(1)), other).get();
                List<String> keys = CompletableFuture.supplyAsync(() -> keys(borrowed, Family.META, b()), other)
                        .get();
                assertThat(there).containsExactly(1);
                assertThat(keys).containsExactly("[1]");
            }
            assertThat(view.cellInstanceKeys()).isEmpty();
        } finally {
            other.shutdownNow();
        }
        assertThat(backend.get(Family.META, b(1))).containsExactly(2);
        try (ReadView now = backend.view()) {
            assertThat(now.cellInstanceKeys()).containsExactly(3L);
        }
    }

    @Test
    void aRangeWalksItsKeysInOrderAcrossPages() {
        write(w -> {
            for (int i = 0; i < 1500; i++) {
                w.put(Family.DATA, b(1, i >> 8, i & 0xff), b(i & 0xff));
            }
        });
        try (ReadView view = backend.view();
             KeyRange range = view.range(Family.DATA, b(1, 0, 10), b(1, 5, 0x80))) {
            int expected = 10;
            for (; range.valid(); range.next()) {
                assertThat(range.key()).containsExactly(1, expected >> 8, expected & 0xff);
                assertThat(range.value()).containsExactly(expected & 0xff);
                expected++;
            }
            assertThat(expected).isEqualTo(0x580);
        }
        try (ReadView view = backend.view(); KeyRange empty = view.range(Family.DATA, b(2), b(3))) {
            assertThat(empty.valid()).isFalse();
        }
    }

    @Test
    void cellInstanceKeysListsEachInstanceOnce() {
        long[] instances = {1, 2, 300, 1L << 40, Long.MAX_VALUE};
        write(w -> {
            for (long ikey : instances) {
                for (int col = 0; col < 3; col++) {
                    for (long chunk = 0; chunk < 4; chunk++) {
                        w.put(Family.DATA, Keys.cell(ikey, col, chunk), b(col));
                    }
                }
            }
        });
        try (ReadView view = backend.view()) {
            assertThat(view.cellInstanceKeys()).containsExactly(1L, 2L, 300L, 1L << 40, Long.MAX_VALUE);
        }
        write(w -> w.deleteRange(Family.DATA, Keys.instanceStart(2), Keys.instanceStart(3)));
        try (ReadView view = backend.view()) {
            assertThat(view.cellInstanceKeys()).containsExactly(1L, 300L, 1L << 40, Long.MAX_VALUE);
        }
    }

    @Test
    void writtenActionsRunOnlyAfterTheWrite() {
        int[] ran = {0};
        Batch batch = new Batch();
        batch.put(Family.LOCKS, b(1), b(1));
        batch.onWritten(() -> ran[0] = backend.get(Family.LOCKS, b(1)) == null ? -1 : 1);
        backend.write(batch);
        assertThat(ran[0]).isEqualTo(1);
    }

    /** Random batches against a sorted map with the unsigned byte order: every scan and read must agree. */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6})
    void randomBatchesMatchASortedMap(long seed) {
        Random random = new Random(seed);
        Map<Family, NavigableMap<byte[], byte[]>> model = new EnumMap<>(Family.class);
        for (Family f : Family.values()) {
            model.put(f, new TreeMap<>(Arrays::compareUnsigned));
        }
        int[] alphabet = {0x00, 0x01, 0x7f, 0x80, 0xfe, 0xff};
        for (int round = 0; round < 12; round++) {
            Batch batch = new Batch();
            int changes = 1 + random.nextInt(40);
            for (int i = 0; i < changes; i++) {
                Family f = Family.values()[random.nextInt(2)];
                byte[] key = randomKey(random, alphabet);
                NavigableMap<byte[], byte[]> m = model.get(f);
                int op = random.nextInt(10);
                if (op < 6) {
                    byte[] value = randomKey(random, alphabet);
                    batch.put(f, key, value);
                    m.put(key, value);
                } else if (op < 8) {
                    batch.delete(f, key);
                    m.remove(key);
                } else {
                    byte[] to = randomKey(random, alphabet);
                    if (Arrays.compareUnsigned(key, to) > 0) {
                        byte[] t = key;
                        key = to;
                        to = t;
                    }
                    batch.deleteRange(f, key, to);
                    m.subMap(key, true, to, false).clear();
                }
            }
            backend.write(batch);
            for (Family f : List.of(Family.META, Family.PROC)) {
                byte[] prefix = randomKey(random, alphabet);
                prefix = Arrays.copyOf(prefix, Math.min(prefix.length, 1 + random.nextInt(2)));
                assertThat(dump(backend, f, b(), false)).as("seed %d round %d %s", seed, round, f)
                        .containsExactlyElementsOf(modelDump(model.get(f), b(), false));
                assertThat(dump(backend, f, prefix, true)).as("backwards, prefix %s", Arrays.toString(prefix))
                        .containsExactlyElementsOf(modelDump(model.get(f), prefix, true));
                byte[] probe = randomKey(random, alphabet);
                assertThat(backend.get(f, probe)).isEqualTo(model.get(f).get(probe));
            }
        }
    }

    private static List<String> reversed(List<String> list) {
        List<String> out = new ArrayList<>(list);
        java.util.Collections.reverse(out);
        return out;
    }

    private static byte[] randomKey(Random random, int[] alphabet) {
        byte[] k = new byte[1 + random.nextInt(3)];
        for (int i = 0; i < k.length; i++) {
            k[i] = (byte) alphabet[random.nextInt(alphabet.length)];
        }
        return k;
    }

    private static List<String> dump(Backend backend, Family f, byte[] prefix, boolean backwards) {
        List<String> out = new ArrayList<>();
        if (backwards) {
            backend.scanBackwards(f, prefix, (k, v) -> out.add(Arrays.toString(k) + "=" + Arrays.toString(v)));
        } else {
            backend.scan(f, prefix, (k, v) -> out.add(Arrays.toString(k) + "=" + Arrays.toString(v)));
        }
        return out;
    }

    private static List<String> modelDump(NavigableMap<byte[], byte[]> m, byte[] prefix, boolean backwards) {
        List<String> out = new ArrayList<>();
        byte[] end = Keys.prefixEnd(prefix);
        NavigableMap<byte[], byte[]> sub = end == null ? m.tailMap(prefix, true) : m.subMap(prefix, true, end, false);
        (backwards ? sub.descendingMap() : sub).forEach((k, v) -> out.add(Arrays.toString(k) + "="
                + Arrays.toString(v)));
        return out;
    }
}
