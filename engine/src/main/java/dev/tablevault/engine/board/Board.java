package dev.tablevault.engine.board;

import dev.tablevault.engine.runner.RunnerId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * This JVM's part of a vault's board: the file {@code <vault>/board/<pid>-<start>.cm} and the heartbeat thread
 * that alone writes it. The thread makes the file once there is something to show (a process starts here, or an
 * active one is shown), so opening a vault never waits for Chronicle, and a vault that runs nothing never loads
 * it; a process start waits for the file (at most {@value #READY_WAIT_MILLIS} ms). Process threads report through
 * their {@link Live} (volatile fields, no I/O); every {@value #TICK_MILLIS} ms the thread publishes each entry
 * whose progress changed, and every entry at least every {@value #HEARTBEAT_MILLIS} ms; as it starts and every
 * {@value #SWEEP_MILLIS} ms it removes the files of runners that are gone. {@link #close} stops and joins the
 * thread and deletes the file.
 *
 * <p>Failures never reach the processes: a file that is deleted, truncated, or stays locked is replaced by a
 * fresh one with every entry republished; a file that cannot be made turns the board off with one warning.
 * Thread safe.
 */
public final class Board implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Board.class);
    /** The longest a pause waits for its entry to be written (a locked or damaged file: then it goes on). */
    static final long PUBLISH_WAIT_MILLIS = 1_000;
    /**
     * The longest a process start waits for the thread to make the file: Chronicle's first use in a JVM loads and
     * links its classes (about a second on a busy machine); past this the process goes on and shows up later.
     */
    static final long READY_WAIT_MILLIS = 10_000;
    /** How often the thread looks for changed progress. */
    public static final long TICK_MILLIS = 50;
    /** How often every running entry is republished, changed or not. */
    public static final long HEARTBEAT_MILLIS = 250;
    /** A running entry whose heartbeat is older than this reads as crashed (a hung or stopped runner). */
    public static final long STALE_MILLIS = 4 * HEARTBEAT_MILLIS;
    /** How often the heartbeat thread removes the files of runners that are gone. */
    public static final long SWEEP_MILLIS = 30_000;
    private static final AtomicBoolean WARNED = new AtomicBoolean();
    private static final Board OFF = new Board(null, null, null, 0);
    /**
     * The key of the entry that says this file could not hold every process (more than {@link #capacity}): a
     * reader then knows the board is incomplete and asks the store.
     */
    public static final String INCOMPLETE = "~incomplete";

    private final Path file;
    private final RunnerId me;
    private final Clock clock;
    private final Map<String, Live> running = new ConcurrentHashMap<>();
    /** Active processes that do not run here, to show as the store has them; null value: remove the entry. */
    private final Map<String, BoardEntry> pending = new ConcurrentHashMap<>();
    /** Notified by the thread after each pass over {@link #pending}. */
    private final Object published = new Object();
    private final Map<String, BoardEntry> dormant = new ConcurrentHashMap<>();
    private final Thread thread;
    /** Open once the thread has made the file, or given up, or ended. */
    private final CountDownLatch ready = new CountDownLatch(1);
    private volatile boolean closing;
    /** Made and used by the heartbeat thread; read by {@link #close} after joining it. */
    private BoardFile map;
    private long fileSize = -1;
    /** How many processes the file shows at most (one slot stays for {@link #INCOMPLETE}). */
    private final int capacity;
    /** The keys written to the file; only the heartbeat thread changes it. */
    private final Set<String> written = new HashSet<>();
    private boolean incompleteShown;

    private Board(Path file, RunnerId me, Clock clock, int capacity) {
        this.capacity = capacity;
        this.file = file;
        this.me = me;
        this.clock = clock;
        this.thread = file == null ? null : new Thread(this::beat, "tablevault-board");
    }

    /** A board that shows nothing (turned off, or not possible in this JVM). */
    public static Board off() {
        return OFF;
    }

    /**
     * This JVM's board for the vault at {@code vaultDir}: makes the board folder and starts the thread, which
     * removes the files of runners that are gone and makes this runner's once there is something to show.
     * Without Chronicle's JVM flags, or when the folder cannot be made, warns once and returns {@link #off()}; a
     * file the thread cannot make turns the board off with one warning.
     */
    public static Board open(Path vaultDir, Clock clock) {
        return open(vaultDir, clock, BoardFile.ENTRIES - 1);
    }

    /** {@link #open(Path, Clock)} showing at most {@code capacity} processes (tests use a small one). */
    static Board open(Path vaultDir, Clock clock, int capacity) {
        String problem = ChronicleFlags.problem();
        if (problem != null) {
            warnOnce("TableVault runs without its live board: " + problem);
            return OFF;
        }
        Path dir = vaultDir.resolve("board");
        RunnerId me = RunnerId.current();
        Board b = new Board(dir.resolve(me.fileName()), me, clock, capacity);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            warnOnce("TableVault runs without its live board: cannot make " + dir + " (" + e + ")");
            return OFF;
        }
        b.thread.setDaemon(true);
        b.thread.start();
        return b;
    }

    private static void warnOnce(String message) {
        if (WARNED.compareAndSet(false, true)) {
            LOG.warn(message);
        }
    }

    /** Deletes the files of runners that are gone and of names that are not board files. */
    private static void sweep(Path dir, RunnerId me) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                RunnerId r = RunnerId.ofFileName(f.getFileName().toString());
                if (r == null || !r.equals(me) && !r.isAlive()) {
                    Files.deleteIfExists(f);
                }
            }
        }
    }

    /**
     * A sweep from the heartbeat thread: runners that died while this board was open leave no file behind for
     * long. It never opens a file, so a dead writer's lock in one cannot block it; a failure waits for the next.
     */
    private void sweepQuietly() {
        try {
            sweep(file.getParent(), me);
        } catch (IOException | DirectoryIteratorException e) {
            LOG.info("could not sweep the board folder {} (the next sweep tries again): {}", file.getParent(),
                    e.toString());
        }
    }

    /** True when this board publishes (it is not {@link #off()}). */
    public boolean on() {
        return thread != null;
    }

    /**
     * Starts showing process {@code id} as running here; report through the returned handle. Waits until the
     * board's file is there, so that the entry is published within {@value #TICK_MILLIS} ms.
     */
    public Live start(String id, String operation, String author, long started) {
        if (!on()) {
            return Live.NONE;
        }
        Live l = new Live(this, id, operation, author, started);
        running.put(id, l);
        if (ready.getCount() > 0) {
            LockSupport.unpark(thread);
            awaitReady();
        }
        return l;
    }

    private void awaitReady() {
        try {
            if (!ready.await(READY_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                LOG.info("board file {} not made within {} ms; the process goes on and shows once it is", file,
                        READY_WAIT_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Shows an active process that does not run here, as {@code entry} (running false) says. */
    public void dormant(BoardEntry entry) {
        if (on()) {
            pending.put(entry.id(), entry);
            if (ready.getCount() > 0) {
                LockSupport.unpark(thread);
            }
        }
    }

    /**
     * Waits (at most {@value #PUBLISH_WAIT_MILLIS} ms once the file is there) until the thread has written
     * {@code entry}: a pause returns to its caller, who may look at the board at once, so the board shows it by
     * then. Progress of running processes needs no such wait; they are published within {@value #TICK_MILLIS} ms.
     */
    void awaitPublished(String id, BoardEntry entry) {
        LockSupport.unpark(thread);
        awaitReady();
        long deadline = System.nanoTime() + PUBLISH_WAIT_MILLIS * 1_000_000;
        synchronized (published) {
            while (pending.get(id) == entry && !closing && System.nanoTime() < deadline) {
                try {
                    published.wait(TICK_MILLIS);
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Removes process {@code id} (it ended). */
    public void forget(String id) {
        if (on()) {
            running.remove(id);
            removeShown(id, false);
        }
    }

    /**
     * Queues the removal of {@code id}; when the file shows it ({@code shown}, or a paused entry), waits until
     * the removal is written, so a reader right after the call that ended it no longer sees it. A short
     * operation, never shown, does not wait.
     */
    private void removeShown(String id, boolean shown) {
        BoardEntry gone = new BoardEntry(id, "", "", "", "", "", "", "", 0, 0, 0, 0, 0, me, false);
        pending.put(id, gone);
        if (shown || dormant.containsKey(id)) {
            awaitPublished(id, gone);
        }
    }

    /** Makes this runner's file; false when it cannot be made (the board is then off). */
    private boolean makeFile() {
        try {
            map = BoardFile.create(file);
            fileSize = Files.size(file);
            return true;
        } catch (IOException | RuntimeException | InternalError e) {
            warnOnce("TableVault runs without its live board: cannot make " + file + " (" + e + ")");
            closing = true;
            return false;
        } finally {
            ready.countDown();
        }
    }

    private void beat() {
        try {
            beatUntilClosed();
        } finally {
            ready.countDown(); // closed before there was anything to show: nobody waits for a file
        }
    }

    private void beatUntilClosed() {
        long lastBeat = 0;
        long lastSweep = clock.millis(); // read before the sweep: files written after it are swept next time
        sweepQuietly();
        while (!closing) {
            long now = clock.millis();
            if (now - lastSweep >= SWEEP_MILLIS) {
                sweepQuietly();
                lastSweep = now;
            }
            if (map == null) {
                if (running.isEmpty() && pending.isEmpty()) {
                    LockSupport.parkNanos(TICK_MILLIS * 1_000_000);
                    continue;
                }
                if (!makeFile()) {
                    return;
                }
            }
            boolean full = now - lastBeat >= HEARTBEAT_MILLIS;
            try {
                if (full && !fileIntact()) {
                    replaceFile("it was deleted or changed size");
                }
                publish(now, full);
            } catch (RuntimeException | InternalError e) {
                // A damaged file (garbage written into it, a truncation racing the check) or a lock a killed
                // reader left: start over in a fresh file rather than stop showing.
                replaceFile(e.toString());
            }
            if (full) {
                lastBeat = now;
            }
            LockSupport.parkNanos(TICK_MILLIS * 1_000_000);
        }
    }

    private boolean fileIntact() {
        try {
            return Files.size(file) == fileSize;
        } catch (IOException e) {
            return false;
        }
    }

    private void publish(long now, boolean full) {
        boolean overflow = false;
        for (Map.Entry<String, BoardEntry> p : pending.entrySet()) {
            BoardEntry e = p.getValue();
            String key = p.getKey();
            boolean ok;
            if (e.operation().isEmpty()) {
                dormant.remove(key);
                // A short operation ends before it was ever written: nothing to remove from the file.
                ok = !written.contains(key) || map.remove(key);
                if (ok) {
                    written.remove(key);
                }
            } else {
                dormant.put(key, e);
                if (running.containsKey(key)) {
                    ok = true;
                } else if (!fits(key)) {
                    overflow = true;
                    continue; // stays pending: written once there is room
                } else {
                    ok = map.put(key, e.encode());
                    if (ok) {
                        written.add(key);
                    }
                }
            }
            if (!ok) {
                throw new IllegalStateException("board segment stayed locked");
            }
            pending.remove(key, e);
        }
        synchronized (published) {
            published.notifyAll();
        }
        for (Live l : running.values()) {
            if (full || l.dirty) {
                if (!fits(l.id)) {
                    overflow = true;
                } else if (!l.write(now)) {
                    throw new IllegalStateException("board segment stayed locked");
                }
            }
        }
        if (overflow != incompleteShown) {
            boolean ok = overflow ? map.put(INCOMPLETE, new BoardEntry(INCOMPLETE, "", "", "", "", "", "", "", 0, 0,
                    0, 0, now, me, false).encode()) : map.remove(INCOMPLETE);
            if (!ok) {
                throw new IllegalStateException("board segment stayed locked");
            }
            incompleteShown = overflow;
        }
    }

    private boolean fits(String key) {
        return written.contains(key) || written.size() < capacity;
    }

    private void replaceFile(String why) {
        if (closing) {
            return;
        }
        LOG.info("board file {} replaced: {}", file, why);
        try {
            map.close();
        } catch (RuntimeException | InternalError e) {
            LOG.debug("closing the damaged board file", e);
        }
        try {
            map = BoardFile.create(file);
            fileSize = Files.size(file);
            written.clear();
            incompleteShown = false;
            dormant.forEach(pending::putIfAbsent);
            running.values().forEach(l -> l.dirty = true);
        } catch (IOException | RuntimeException | InternalError e) {
            warnOnce("the live board stops: cannot remake " + file + " (" + e + ")");
            closing = true;
        }
    }

    /** Stops and joins the heartbeat thread, closes and deletes the file. */
    @Override
    public void close() {
        if (!on()) {
            return;
        }
        closing = true;
        LockSupport.unpark(thread);
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        try {
            if (map != null) {
                map.close();
            }
            Files.deleteIfExists(file);
        } catch (IOException | RuntimeException e) {
            LOG.warn("could not delete board file {}: {}; the next read-write open removes it", file, e.toString());
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * What one running process reports: the runner's thread writes these volatile fields at each checkpoint; the
     * heartbeat thread reads them. Thread safe.
     */
    public static final class Live {
        /** The handle of a board that is off: reports go nowhere. */
        public static final Live NONE = new Live(null, "", "", "", 0);
        private final Board board;
        final String id;
        private final String operation;
        private final String author;
        private final long started;
        private volatile String table = "";
        private volatile String version = "";
        private volatile String state = "RUNNING";
        private volatile String step = "";
        /** The OS process running its code: this JVM, or the caller whose builder code it runs. */
        private volatile RunnerId runner;
        private volatile long rowsDone;
        private volatile long rowsTotal = -1;
        volatile boolean dirty = true;
        /** Whether the board's thread wrote this entry, and whether the process ended; guarded by this. */
        private boolean shown;
        private boolean ended;
        // Read and written by the heartbeat thread only.
        private long rateRows;
        private long rateAt;
        private String rateStep = "";
        private double rate;

        private Live(Board board, String id, String operation, String author, long started) {
            this.board = board;
            this.id = id;
            this.operation = operation;
            this.author = author;
            this.started = started;
        }

        /** What the process works on: a table and instance version. */
        public void target(String table, String version) {
            this.table = table == null ? "" : table;
            this.version = version == null ? "" : version;
            dirty = true;
        }

        /** A checkpoint: the step, its rows done and total (-1: unknown), and the state it saved. */
        public void progress(String step, long rowsDone, long rowsTotal) {
            this.step = step;
            this.rowsDone = rowsDone;
            this.rowsTotal = rowsTotal;
            dirty = true;
        }

        /** The OS process running its code from now on (a caller whose builder code it runs). */
        public void runner(RunnerId who) {
            if (board == null) {
                return;
            }
            runner = who;
            dirty = true;
        }

        /** The state the last checkpoint saved ({@code ProcessState} name). */
        public void state(String state) {
            this.state = state;
            dirty = true;
        }

        /**
         * The process stopped running here: ended (no {@code pausedError}), or still active and paused with
         * {@code pausedError}.
         */
        public void end(boolean paused, String pausedError) {
            if (board == null) {
                return;
            }
            board.running.remove(id, this);
            if (paused) {
                BoardEntry e = new BoardEntry(id, operation, table, version, "PAUSED", author,
                        pausedError == null ? "" : pausedError, step, rowsDone, rowsTotal, 0, started,
                        board.clock.millis(), board.me, false);
                board.dormant(e);
                board.awaitPublished(id, e);
            } else {
                boolean wasShown;
                synchronized (this) {
                    ended = true;
                    wasShown = shown;
                }
                board.removeShown(id, wasShown);
            }
        }

        /**
         * Writes this entry (on the board's thread); false when its segment stayed locked. Not after the process
         * ended: with {@link #end}, under this lock, so that an end either sees the entry shown (and waits for its
         * removal) or keeps it from being written.
         */
        private synchronized boolean write(long now) {
            if (ended) {
                return true;
            }
            if (!board.map.put(id, snapshot(now).encode())) {
                return false;
            }
            board.written.add(id);
            shown = true;
            return true;
        }

        /**
         * The process stopped here because its runner, {@code runner} (the caller whose code it ran), went away:
         * it stays as its last save left it, shown not running with that runner, so readers judge it by that
         * runner's liveness (CRASHED once it is gone), as the store's status does.
         */
        public void runnerGone(RunnerId runner) {
            if (board == null) {
                return;
            }
            board.running.remove(id, this);
            BoardEntry e = new BoardEntry(id, operation, table, version, state, author, "", step, rowsDone, rowsTotal,
                    0, started, board.clock.millis(), runner, false);
            board.dormant(e);
            board.awaitPublished(id, e);
        }

        private BoardEntry snapshot(long now) {
            dirty = false;
            long done = rowsDone;
            String s = step;
            if (!s.equals(rateStep) || done < rateRows) {
                rateStep = s;
                rateRows = done;
                rateAt = now;
                rate = 0;
            } else if (now - rateAt >= HEARTBEAT_MILLIS) {
                double r = (done - rateRows) * 1000.0 / (now - rateAt);
                rate = rate == 0 ? r : (rate + r) / 2;
                rateRows = done;
                rateAt = now;
            }
            return new BoardEntry(id, operation, table, version, state, author, "", s, done, rowsTotal, rate,
                    started, now, runner == null ? board.me : runner, true);
        }
    }
}
