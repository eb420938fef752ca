package dev.tablevault.engine.process;

import dev.tablevault.api.VaultOptions;
import dev.tablevault.engine.codec.Codec;
import dev.tablevault.engine.codec.Records.ProcessRecord;
import dev.tablevault.engine.codec.Records.TrimRecord;
import dev.tablevault.engine.store.Backend;
import dev.tablevault.engine.store.Batch;
import dev.tablevault.engine.store.Family;
import dev.tablevault.engine.store.Keys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Trims finished processes by the owner's retention ({@link VaultOptions#keepFinishedProcesses(int)},
 * {@link VaultOptions#keepFinishedFor}): a trimmed process loses its finished record {@code H/<pid>}, its log
 * {@code L/<pid>/*} and its history entry {@code h/<end><pid>}, all in one batch with the {@link TrimRecord}
 * ({@code R}) that counts them, so a crash leaves each process either whole or gone. A finished sub-process of a
 * process that is still active (or of one whose own parent is) is kept: a resume of the parent asks
 * {@code isProcessComplete} about it.
 *
 * <p>The history entries are in end-time order, so the oldest come first: a cursor (kept in {@code R}) marks where
 * the untrimmed ones start, and the kept sub-processes below it are held in memory. The owner counts the entries
 * at open (from the cursor: O(retained)), adds one for each end it writes ({@link #ended}) and, after a process's
 * run, trims when the count is {@link #slack} past the policy or the oldest entry is too old, at most
 * {@link #MAX_BATCH} processes per batch ({@link #afterRun}). Each history entry written since carries its
 * process's last log sequence and parent ({@link #historyValue}), so a trim needs no read per process; older
 * entries (empty value) are read.
 *
 * <p>Thread safe: one trim at a time ({@link #trimming}); a run that finds a trim in progress goes on.
 */
public final class Retention {
    private static final Logger LOG = LoggerFactory.getLogger(Retention.class);
    private static final byte[] HISTORY = {'h', 0};
    /** The most processes one trim batch removes. */
    static final int MAX_BATCH = 1024;

    /** A retained history entry below the cursor: a sub-process kept for its active parent. */
    private record Entry(byte[] key, String pid, long lastSeq, String parent) {
    }

    private final OpenVault vault;
    private final ProcessLog log;
    private final Runner runner;
    private final Settlement settlement;
    private final int keep;
    private final long keepForMillis;
    /** History entries not trimmed, kept sub-processes included. */
    private final AtomicLong retained = new AtomicLong();
    /** The largest time a history entry was keyed by. */
    private final AtomicLong lastHistoryMillis = new AtomicLong();
    /** End time of the oldest entry at or past {@link #scanFrom}, or {@code Long.MAX_VALUE} when none. */
    private volatile long oldest = Long.MAX_VALUE;
    private final ReentrantLock trimming = new ReentrantLock();
    /** Where the next trim looks; guarded by {@link #trimming}, as are the fields below. */
    private byte[] scanFrom;
    private final List<Entry> behind = new ArrayList<>();
    /** {@code behind.size()}, readable without the lock. */
    private volatile int behindCount;
    private long trimmed;
    private long trimmedBefore;

    Retention(OpenVault vault, ProcessLog log, Runner runner, Settlement settlement) {
        this.vault = vault;
        this.log = log;
        this.runner = runner;
        this.settlement = settlement;
        this.keep = vault.options().keepFinishedProcesses();
        this.keepForMillis = vault.options().keepFinishedFor() == null ? -1
                : vault.options().keepFinishedFor().toMillis();
        TrimRecord r = read(vault.store());
        scanFrom = r == null ? HISTORY : r.cursor().getBytes(StandardCharsets.ISO_8859_1);
        trimmed = r == null ? 0 : r.trimmed();
        trimmedBefore = r == null ? 0 : r.trimmedBefore();
        long[] n = {0};
        vault.store().scanFrom(Family.PROC, HISTORY, scanFrom, (k, v) -> {
            if (n[0]++ == 0) {
                oldest = Keys.historyMillis(k);
            }
            return true;
        });
        retained.set(n[0]);
        vault.store().scanBackwards(Family.PROC, HISTORY, (k, v) -> {
            lastHistoryMillis.set(Keys.historyMillis(k));
            return false;
        });
    }

    /** The trim record of {@code store}, or null when nothing was ever trimmed. */
    public static TrimRecord read(Backend store) {
        byte[] v = store.get(Family.PROC, Keys.trimmed());
        return v == null ? null : Codec.decode(v, TrimRecord.class, "trim record");
    }

    /** The value of a history entry: the process's last log sequence, then its parent's id (empty: none). */
    static byte[] historyValue(long lastSeq, String parent) {
        byte[] p = parent == null ? new byte[0] : parent.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + p.length).putLong(lastSeq).put(p).array();
    }

    /**
     * The time a history entry of a process ending at {@code endMillis} is keyed by: never below one keyed before, so
     * entries come in end order and none lands below the cursor when the clock steps back.
     */
    long historyMillis(long endMillis) {
        return lastHistoryMillis.accumulateAndGet(endMillis, Math::max);
    }

    /** Counts a finished process whose end batch was written, keyed at {@code endMillis}. */
    void ended(long endMillis) {
        retained.incrementAndGet();
        if (oldest == Long.MAX_VALUE) {
            oldest = endMillis;
        }
    }

    /** How far past the policy the count may go before a trim: a batch's worth, at most 256 and an eighth. */
    private long slack() {
        return Math.max(1, Math.min(256, keep / 8));
    }

    /**
     * Trims what the policy no longer keeps, when there is enough of it (called after each run, outside its
     * locks). A failure is logged: the run it follows succeeded, and the next run tries again.
     */
    void afterRun() {
        long now = vault.clock().millis();
        boolean aged = keepForMillis >= 0 && oldest < now - keepForMillis;
        if (retained.get() - behindCount - keep < slack() && !aged || !trimming.tryLock()) {
            return;
        }
        try {
            trim(now);
        } catch (RuntimeException e) {
            LOG.warn("trimming finished processes of {} failed (the next process end tries again): {}",
                    vault.dir(), e.toString());
        } finally {
            trimming.unlock();
        }
    }

    private void trim(long now) {
        Backend s = vault.store();
        long ageLimit = keepForMillis < 0 ? Long.MIN_VALUE : now - keepForMillis;
        List<Entry> kept = new ArrayList<>();
        int needed = 0;
        for (Entry e : behind) {
            if (needed(e.parent())) {
                needed++;
            }
        }
        long[] excess = {retained.get() - needed - keep};
        List<Entry> gone = new ArrayList<>();
        boolean[] stop = {false};
        for (Entry e : behind) {
            if (needed(e.parent())) {
                continue;
            }
            if (excess[0] > 0 || Keys.historyMillis(e.key()) < ageLimit) {
                gone.add(e);
                excess[0]--;
            } else {
                stop[0] = true;
                break;
            }
        }
        byte[][] next = {scanFrom};
        long[] nextOldest = {Long.MAX_VALUE};
        if (!stop[0]) {
            Set<String> held = new HashSet<>();
            behind.forEach(e -> held.add(new String(e.key(), StandardCharsets.ISO_8859_1)));
            s.scanFrom(Family.PROC, HISTORY, scanFrom, (k, v) -> {
                long end = Keys.historyMillis(k);
                // Later entries may still come in this millisecond, ordered by id: go on from its start next time.
                next[0] = Arrays.copyOf(k, HISTORY.length + 8);
                if (held.contains(new String(k, StandardCharsets.ISO_8859_1))) {
                    return true;
                }
                if (gone.size() >= MAX_BATCH || excess[0] <= 0 && end >= ageLimit) {
                    nextOldest[0] = end;
                    return false;
                }
                Entry e = entry(k, v);
                if (needed(e.parent())) {
                    kept.add(e);
                } else {
                    gone.add(e);
                }
                excess[0]--;
                return true;
            });
        }
        if (gone.isEmpty() && kept.isEmpty()) {
            oldest = nextOldest[0];
            return;
        }
        long before = trimmedBefore;
        List<Entry> held = new ArrayList<>(behind);
        held.removeAll(gone);
        held.addAll(kept);
        Batch b = new Batch();
        for (Entry e : gone) {
            delete(b, s, e);
            before = Math.max(before, Keys.historyMillis(e.key()));
        }
        byte[] cursor = held.isEmpty() ? next[0] : held.get(0).key();
        b.put(Family.PROC, Keys.trimmed(), Codec.encode(new TrimRecord(trimmed + gone.size(), before,
                new String(cursor, StandardCharsets.ISO_8859_1), keep, keepForMillis)));
        CrashPoints.hit("trim.commit");
        s.write(b);
        // Nothing above changed this object: a failed write is looked at again by the next trim, from the same place.
        behind.clear();
        behind.addAll(held);
        behindCount = held.size();
        CrashPoints.hit("trim.committed");
        scanFrom = next[0];
        oldest = nextOldest[0];
        trimmed += gone.size();
        trimmedBefore = before;
        retained.addAndGet(-gone.size());
    }

    private Entry entry(byte[] key, byte[] value) {
        String pid = Keys.historyPid(key);
        if (value.length >= 8) {
            String parent = value.length == 8 ? null
                    : new String(value, 8, value.length - 8, StandardCharsets.UTF_8);
            return new Entry(key, pid, ByteBuffer.wrap(value).getLong(), parent);
        }
        // Written before history entries carried these: the finished record names the parent, the log is scanned.
        ProcessRecord fin = log.finished(pid);
        return new Entry(key, pid, -1, fin == null ? null : fin.parentId());
    }

    private static void delete(Batch b, Backend s, Entry e) {
        b.delete(Family.PROC, e.key());
        b.delete(Family.PROC, Keys.finished(e.pid()));
        if (e.lastSeq() >= 0) {
            byte[] log = Keys.prefix("L", e.pid());
            for (long seq = 0; seq <= e.lastSeq(); seq++) {
                b.delete(Family.PROC, Keys.logEntry(log, seq));
            }
        } else {
            s.scan(Family.PROC, Keys.prefix("L", e.pid()), (k, v) -> {
                b.delete(Family.PROC, k);
                return true;
            });
        }
    }

    /** True while {@code parent}, or an ancestor of it, is active: its resume may ask about its sub-processes. */
    private boolean needed(String parent) {
        String p = parent;
        for (int depth = 0; p != null && depth < 64; depth++) {
            if (runner.isRunning(p) || settlement.shown(p) != null || log.active(p) != null) {
                return true;
            }
            ProcessRecord fin = log.finished(p);
            p = fin == null ? null : fin.parentId();
        }
        return false;
    }

    /** The retention in words, as {@code tv stats} shows it. */
    public static String describe(int keep, long keepForMillis) {
        return "keep newest " + String.format(java.util.Locale.ROOT, "%,d", keep)
                + (keepForMillis < 0 ? "" : ", at most " + java.time.Duration.ofMillis(keepForMillis));
    }
}
