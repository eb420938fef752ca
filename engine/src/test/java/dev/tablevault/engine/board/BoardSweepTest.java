package dev.tablevault.engine.board;

import dev.tablevault.engine.runner.RunnerId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/** The heartbeat thread removes the files of runners that died while the board was open, and only theirs. */
class BoardSweepTest {
    @TempDir
    Path tmp;

    @Test
    void heartbeatThreadSweepsFilesOfDeadRunners() throws Exception {
        TestClock clock = new TestClock(System.currentTimeMillis());
        try (Board board = Board.open(tmp, clock)) {
            assertThat(board.on()).isTrue();
            BoardEntry shown = new BoardEntry("p1", "executeInstance", "t", "v", "PAUSED", "a", "", "", 0, -1, 0, 1,
                    1, RunnerId.current(), false);
            board.dormant(shown);
            board.awaitPublished("p1", shown); // the thread makes this runner's file once it has something to show
            Path dir = tmp.resolve("board");
            RunnerId me = RunnerId.current();
            // This JVM's pid with a start an hour earlier: a dead runner whose pid was reused.
            Path dead = dir.resolve(new RunnerId(me.pid(), me.startMillis() - 3_600_000).fileName());
            ProcessHandle parent = ProcessHandle.current().parent().orElseThrow();
            Path alive = dir.resolve(new RunnerId(parent.pid(), parent.info().startInstant()
                    .map(Instant::toEpochMilli).orElse(0L)).fileName());
            // Garbage: a sweep must not read a file (a dead writer may have left its locks held in it).
            Files.write(dead, new byte[]{1, 2, 3});
            Files.write(alive, new byte[]{1, 2, 3});
            Path mine = dir.resolve(me.fileName());

            clock.advance(Board.SWEEP_MILLIS);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (Files.exists(dead)) {
                assertThat(System.nanoTime()).as("the dead runner's file was never swept").isLessThan(deadline);
                LockSupport.parkNanos(10_000_000);
            }
            assertThat(alive).as("a live runner's file stays").exists();
            assertThat(mine).as("this JVM's file stays").exists();
        }
    }

    /** A clock the test moves forward. */
    private static final class TestClock extends Clock {
        private final AtomicLong millis;

        TestClock(long start) {
            millis = new AtomicLong(start);
        }

        void advance(long by) {
            millis.addAndGet(by);
        }

        @Override
        public long millis() {
            return millis.get();
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis());
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }
}
