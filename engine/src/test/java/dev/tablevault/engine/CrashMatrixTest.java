package dev.tablevault.engine;

import dev.tablevault.api.Durability;
import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.Frame;
import dev.tablevault.api.InstanceDescription;
import dev.tablevault.api.LogEntryInfo;
import dev.tablevault.api.OpOptions;
import dev.tablevault.api.ProcessInfo;
import dev.tablevault.api.ProcessState;
import dev.tablevault.api.ReadOptions;
import dev.tablevault.api.StopOptions;
import dev.tablevault.api.TableOptions;
import dev.tablevault.api.TvArgumentException;
import dev.tablevault.api.TvLockException;
import dev.tablevault.api.TvProcessException;
import dev.tablevault.api.Vault;
import dev.tablevault.api.VaultOptions;
import dev.tablevault.engine.Scenarios.Fixture;
import dev.tablevault.engine.Scenarios.Normalized;
import dev.tablevault.engine.Scenarios.Scenario;
import dev.tablevault.engine.ops.WriteInstance;
import dev.tablevault.engine.process.CrashPoints;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The crash matrix: for every operation and every crash point in it ({@link CrashPoints#POINTS}, so a new
 * point is covered without touching this class), an injected external failure
 * <ul>
 * <li>(a) without a user process id reverts: the vault is exactly as before, except one REVERTED history entry
 * (and, for an execution, the rows it committed, which its temporary instance keeps: {@link #assertReverted});
 * the same call then succeeds as an uninterrupted one;</li>
 * <li>(b) with a user id pauses the process, which keeps its locks (others fail at once naming it); then a
 * same-id retry, {@code resumeProcess}, a {@code restart(true)} reopen, or {@code stopProcess} (revert, or
 * materialize for writes and executions) ends it, with the contents of an uninterrupted run or of before the
 * call.</li>
 * </ul>
 * Plus: a resume with different arguments is refused and leaves the process paused; a finished id never runs
 * again. {@code .committed} points are skipped (a THROW there is meaningless: the work is durable; the halt
 * tests cover them).
 *
 * <p>On both backends ({@link TestBackend}); on PostgreSQL the default runs the pairs {@link Scenarios#runsOn} names
 * (every pair with {@code -Dtv.pg.crashes=all}).
 */
class CrashMatrixTest {
    private static final Map<String, Normalized> REFERENCE = new HashMap<>();
    private static final AtomicInteger REFERENCE_ATTEMPTS = new AtomicInteger();

    @TempDir
    static Path shared;

    @TempDir
    Path tmp;

    private int vaults;

    @AfterEach
    void disarm() {
        CrashPoints.disarmAll();
    }

    // ---- sources ----

    /** Every (backend, scenario, point) at which a THROW is meaningful and which runs on that backend. */
    static Stream<Arguments> throwPoints() {
        return Stream.of(TestBackend.values()).flatMap(b -> CrashPoints.POINTS.entrySet().stream()
                .flatMap(e -> Scenarios.forOperation(e.getKey()).stream()
                        .flatMap(s -> e.getValue().stream()
                                .filter(p -> !p.endsWith(".committed") && Scenarios.runsOn(b, s, p))
                                .map(p -> Arguments.of(b, s, p)))));
    }

    static Stream<Arguments> writePoints() {
        return throwPoints().filter(a -> ((Scenario) a.get()[1]).isWrite());
    }

    static Stream<Arguments> executePoints() {
        return throwPoints().filter(a -> ((Scenario) a.get()[1]).isExecute());
    }

    static Stream<Arguments> scenarios() {
        return Stream.of(TestBackend.values()).flatMap(b -> Scenarios.all().stream()
                .filter(s -> Scenarios.runsOn(b, s)).map(s -> Arguments.of(b, s)));
    }

    @Test
    void everyOperationWithCrashPointsHasAScenario() {
        Set<String> covered = new HashSet<>();
        Scenarios.all().forEach(s -> covered.add(s.operation()));
        assertThat(covered).containsAll(CrashPoints.POINTS.keySet());
        assertThat(throwPoints().count()).as("(operation, point) pairs").isGreaterThanOrEqualTo(
                CrashPoints.POINTS.values().stream().mapToLong(l -> l.size() - 1).sum());
        // The large write must really be interrupted mid-staging.
        assertThat(Scenarios.LARGE.rowCount()).isGreaterThan(2 * WriteInstance.BATCH_ROWS);
        assertThat(Scenarios.SMALL.rowCount()).isLessThan(WriteInstance.BATCH_ROWS);
    }

    // ---- (a) generated id: revert ----

    @ParameterizedTest(name = "{0}: {1} at {2}")
    @MethodSource("throwPoints")
    void withoutUserIdAFailureRevertsAndChangesNothing(TestBackend backend, Scenario s, String point) {
        try (Vault v = create(backend)) {
            Fixture fx = s.setup().apply(v);
            VaultContents before = VaultContents.of(v);
            int history = v.processHistory(100_000).size();

            CrashPoints.arm(point, CrashPoints.Action.THROW);
            Throwable t = catchThrowable(() -> s.call().run(v, fx, null));
            assertInjected(t, point);

            assertReverted(v, s, before, point);
            assertThat(v.activeProcesses().keySet()).isEqualTo(before.active().keySet());
            List<ProcessInfo> hist = v.processHistory(100_000);
            assertThat(hist).hasSize(history + 1);
            List<ProcessInfo> mine = hist.stream().filter(p -> p.operation().equals(s.operation())
                    && p.error() != null && p.error().contains(injected(point))).toList();
            assertThat(mine).hasSize(1);
            String pid = mine.get(0).id();
            assertThat(mine.get(0).state()).isEqualTo(ProcessState.REVERTED);
            assertThat(v.isProcessComplete(pid)).isTrue();
            assertThat(v.process(pid).state()).isEqualTo(ProcessState.REVERTED);
            assertThat(v.locks()).noneMatch(l -> l.processId().equals(pid));
            List<LogEntryInfo> log = v.processLog(pid);
            assertThat(log.get(0).kind()).isEqualTo("BEGIN");
            assertThat(log.get(log.size() - 1).kind()).isEqualTo("END");
            assertThat(log.get(log.size() - 1).step()).isEqualTo("REVERTED");
            Scenarios.assertConsistent(v);

            // The reverted id can never run again, and trying changes nothing.
            assertFinishedIdRefused(v, s, fx, pid);

            // Nothing stale is left: the same call now succeeds as an uninterrupted one.
            s.call().run(v, fx, null);
            assertThat(Scenarios.normalized(v)).isEqualTo(reference(s));
            s.verify().accept(v, fx);
            Scenarios.assertConsistent(v);
        }
    }

    // ---- (b) user id: pause, then an ending ----

    @ParameterizedTest(name = "{0}: {1} at {2}")
    @MethodSource("throwPoints")
    void pausedThenSameIdRetryCompletes(TestBackend backend, Scenario s, String point) {
        String pid = pid(s, "retry");
        try (Vault v = create(backend)) {
            Fixture fx = s.setup().apply(v);
            pause(v, s, fx, point, pid);

            assertThat(s.call().run(v, fx, pid)).isEqualTo(pid);
            assertCommittedAsUninterrupted(v, s, fx, pid);
        }
    }

    @ParameterizedTest(name = "{0}: {1} at {2}")
    @MethodSource("throwPoints")
    void pausedThenResumeProcessCompletesOrRefusesWithoutTheFrame(TestBackend backend, Scenario s, String point) {
        String pid = pid(s, "resume");
        try (Vault v = create(backend)) {
            Fixture fx = s.setup().apply(v);
            VaultContents paused = pause(v, s, fx, point, pid);

            if (s.needsFrame(point)) {
                // The frame is not in the log: only a writeInstance call with it can continue.
                TvProcessException e = catchThrowableOfType(() -> v.resumeProcess(pid), TvProcessException.class);
                assertThat(e).isNotNull();
                assertThat(e.code()).isEqualTo(ErrorCode.PROCESS_STATE);
                assertThat(e.getMessage()).contains(pid);
                assertStillPaused(v, s, fx, pid, point, paused);
                assertThat(s.call().run(v, fx, pid)).isEqualTo(pid);
            } else {
                assertThat(v.resumeProcess(pid)).isEqualTo(pid);
            }
            assertCommittedAsUninterrupted(v, s, fx, pid);
        }
    }

    @ParameterizedTest(name = "{0}: {1} at {2}")
    @MethodSource("throwPoints")
    void pausedSurvivesReopenThenRestartEndsIt(TestBackend backend, Scenario s, String point) {
        String pid = pid(s, "restart");
        TestVault dir = backend.vault(tmp, "v");
        Fixture fx;
        VaultContents before;
        VaultContents paused;
        try (Vault v = dir.create(options())) {
            fx = s.setup().apply(v);
            before = VaultContents.of(v);
            paused = pause(v, s, fx, point, pid);
        }
        // Invariant 2: across close and reopen the process is still paused and holds its locks.
        try (Vault v = dir.open(options())) {
            assertThat(VaultContents.of(v)).isEqualTo(paused);
            assertStillPaused(v, s, fx, pid, point, paused);
            assertConflictBlocked(v, s, fx, pid, point);
            Scenarios.assertConsistent(v);
        }
        try (Vault v = dir.open(options().restart(true))) {
            assertThat(TableVault.restartFailures(v)).isEmpty();
            assertThat(v.isProcessComplete(pid)).isTrue();
            if (s.needsFrame(point)) {
                // Documented: a write paused before its frame was fully staged cannot continue; restart reverts it.
                assertThat(v.process(pid).state()).isEqualTo(ProcessState.REVERTED);
                assertThat(VaultContents.of(v)).isEqualTo(before);
                Scenarios.assertConsistent(v);
            } else {
                assertCommittedAsUninterrupted(v, s, fx, pid);
            }
        }
    }

    @ParameterizedTest(name = "{0}: {1} at {2}")
    @MethodSource("throwPoints")
    void pausedThenStopProcessRevertsToBefore(TestBackend backend, Scenario s, String point) {
        String pid = pid(s, "stop");
        try (Vault v = create(backend)) {
            Fixture fx = s.setup().apply(v);
            VaultContents before = VaultContents.of(v);
            VaultContents paused = pause(v, s, fx, point, pid);

            if (!s.canMaterialize()) {
                // materialize applies to writes and executions only: refused, nothing changes.
                TvArgumentException e = catchThrowableOfType(
                        () -> v.stopProcess(pid, StopOptions.defaults().materialize(true)), TvArgumentException.class);
                assertThat(e).isNotNull();
                assertThat(e.code()).isEqualTo(ErrorCode.BAD_ARGUMENT);
                assertStillPaused(v, s, fx, pid, point, paused);
            }
            if (s.isStop()) {
                // StopOp.validate refuses to stop a paused stop ("resume it with resumeProcess instead"):
                // the paused stop stays as it was; resuming it ends it.
                TvArgumentException e = catchThrowableOfType(() -> v.stopProcess(pid, StopOptions.defaults()),
                        TvArgumentException.class);
                assertThat(e).isNotNull();
                assertThat(e.code()).isEqualTo(ErrorCode.BAD_ARGUMENT);
                assertStillPaused(v, s, fx, pid, point, paused);
                assertThat(v.resumeProcess(pid)).isEqualTo(pid);
                assertCommittedAsUninterrupted(v, s, fx, pid);
                return;
            }

            String stopPid = v.stopProcess(pid, StopOptions.defaults());
            assertThat(v.process(stopPid).state()).isEqualTo(ProcessState.COMMITTED);
            assertThat(v.process(pid).state()).isEqualTo(ProcessState.STOPPED);
            assertThat(v.isProcessComplete(pid)).isTrue();
            assertReverted(v, s, before, point);
            assertThat(v.locks()).isEmpty();
            assertThat(v.activeProcesses()).isEmpty();
            Scenarios.assertConsistent(v);

            assertFinishedIdRefused(v, s, fx, pid);
            VaultContents stopped = VaultContents.of(v);
            TvProcessException again = catchThrowableOfType(() -> v.stopProcess(pid, StopOptions.defaults()),
                    TvProcessException.class);
            assertThat(again).isNotNull();
            assertThat(again.code()).isEqualTo(ErrorCode.PROCESS_STATE);
            assertThat(VaultContents.of(v)).isEqualTo(stopped);
            if (s.isExecute()) {
                // The kept rows are no obstacle: a fresh execution drops them and builds what an uninterrupted
                // one does.
                s.call().run(v, fx, null);
                assertThat(Scenarios.normalized(v)).isEqualTo(reference(s));
                s.verify().accept(v, fx);
                Scenarios.assertConsistent(v);
            }
        }
    }

    /**
     * A paused execution stopped with materialize: one unsuccessful instance of its version with the rows its
     * last checkpoint counted (none when it paused before its plan was recorded), each value null (not computed
     * yet) or what an uninterrupted run computes, with at least the index values committed so far; the
     * temporary instance and its builders are gone, everything else is as before.
     */
    @ParameterizedTest(name = "{0}: {1} at {2}")
    @MethodSource("executePoints")
    void pausedExecutionStoppedWithMaterializeKeepsTheRowsCommittedSoFar(TestBackend backend, Scenario s,
                                                                         String point) {
        String pid = pid(s, "mat");
        try (Vault v = create(backend)) {
            Fixture fx = s.setup().apply(v);
            VaultContents before = VaultContents.of(v);
            pause(v, s, fx, point, pid);

            v.stopProcess(pid, StopOptions.defaults().materialize(true));
            assertThat(v.process(pid).state()).isEqualTo(ProcessState.MATERIALIZED);
            assertThat(v.locks()).isEmpty();
            assertThat(v.activeProcesses()).isEmpty();

            VaultContents after = VaultContents.of(v);
            List<String> added = after.instances().keySet().stream()
                    .filter(k -> !before.instances().containsKey(k)).toList();
            List<String> gone = before.instances().keySet().stream()
                    .filter(k -> !after.instances().containsKey(k)).toList();
            assertThat(added).hasSize(1);
            assertThat(gone).hasSize(1).allMatch(k -> k.startsWith(Scenarios.T + "/TEMP_"));
            Map<String, InstanceDescription> kept = new HashMap<>(after.instances());
            kept.remove(added.get(0));
            Map<String, InstanceDescription> expected = new HashMap<>(before.instances());
            expected.remove(gone.get(0));
            assertThat(kept).isEqualTo(expected);
            assertThat(after.tables().keySet()).isEqualTo(before.tables().keySet());
            String version = before.instances().get(gone.get(0)).version();
            assertThat(after.builders()).isEqualTo(withoutVersion(before.builders(), version));

            InstanceDescription d = after.instances().get(added.get(0));
            int rows = s.stagedRows(point);
            assertThat(d.version()).isEqualTo(version);
            assertThat(d.temporary()).isFalse();
            assertThat(d.success()).isFalse();
            assertThat(d.rows()).isEqualTo(rows);
            assertThat(d.processId()).isEqualTo(pid);
            assertThat(d.columns()).isEqualTo(rows == 0 ? List.of() : s.frame().columns());
            assertPartial(v.dataframe(Scenarios.T, ReadOptions.id(d.id())), s.frame(), rows);
            Scenarios.assertConsistent(v);
            assertFinishedIdRefused(v, s, fx, pid);
        }
    }

    @ParameterizedTest(name = "{0}: {1} at {2}")
    @MethodSource("writePoints")
    void pausedWriteStoppedWithMaterializeKeepsTheRowsStagedSoFar(TestBackend backend, Scenario s, String point) {
        String pid = pid(s, "mat");
        try (Vault v = create(backend)) {
            Fixture fx = s.setup().apply(v);
            VaultContents before = VaultContents.of(v);
            pause(v, s, fx, point, pid);

            String stopPid = v.stopProcess(pid, StopOptions.defaults().materialize(true));
            assertThat(v.process(stopPid).state()).isEqualTo(ProcessState.COMMITTED);
            assertThat(v.process(pid).state()).isEqualTo(ProcessState.MATERIALIZED);
            assertThat(v.locks()).isEmpty();
            assertThat(v.activeProcesses()).isEmpty();

            VaultContents after = VaultContents.of(v);
            assertThat(after.tables()).isEqualTo(before.tables());
            assertThat(after.builders()).isEqualTo(before.builders());
            Map<String, InstanceDescription> kept = new HashMap<>(after.instances());
            List<String> added = after.instances().keySet().stream()
                    .filter(k -> !before.instances().containsKey(k)).toList();
            assertThat(added).hasSize(1);
            kept.remove(added.get(0));
            Map<String, InstanceDescription> expected = new HashMap<>(before.instances());
            expected.remove(Scenarios.T + "/TEMP_ext");
            assertThat(kept).isEqualTo(expected);
            for (String k : before.rows().keySet()) {
                assertThat(after.rows().get(k)).isEqualTo(before.rows().get(k));
            }

            int rows = s.stagedRows(point);
            InstanceDescription d = after.instances().get(added.get(0));
            assertThat(d.version()).isEqualTo("ext");
            assertThat(d.temporary()).isFalse();
            assertThat(d.externalEdit()).isTrue();
            assertThat(d.success()).isFalse();
            assertThat(d.active()).isTrue();
            assertThat(d.rows()).isEqualTo(rows);
            assertThat(d.columns()).isEqualTo(s.frame().columns());
            assertThat(d.processId()).isEqualTo(pid);
            assertThat(v.dataframe(Scenarios.T, ReadOptions.id(d.id()))).isEqualTo(Scenarios.head(s.frame(), rows));
            // The unsuccessful instance is not what a successful-only read picks.
            assertThat(v.dataframe(Scenarios.T, ReadOptions.latest().successfulOnly(true)))
                    .isEqualTo(Scenarios.BASE_FRAME);
            Scenarios.assertConsistent(v);
            assertFinishedIdRefused(v, s, fx, pid);
        }
    }

    // ---- resume with changed arguments; reuse of a finished id ----

    @ParameterizedTest(name = "{0}: {1} at {2}")
    @MethodSource("throwPoints")
    void resumeWithDifferentArgumentsIsRefusedAndLeavesItPaused(TestBackend backend, Scenario s, String point) {
        String pid = pid(s, "args");
        try (Vault v = create(backend)) {
            Fixture fx = s.setup().apply(v);
            VaultContents paused = pause(v, s, fx, point, pid);
            int history = v.processHistory(100_000).size();

            TvProcessException e = catchThrowableOfType(() -> s.changed().run(v, fx, pid), TvProcessException.class);
            assertThat(e).isNotNull();
            assertThat(e.code()).isEqualTo(ErrorCode.PROCESS_ARGUMENTS_CHANGED);
            assertThat(e.getMessage()).contains(pid);
            assertStillPaused(v, s, fx, pid, point, paused);

            // Another operation under the same id is refused the same way.
            TvProcessException other = catchThrowableOfType(() -> otherOperation(v, s, pid), TvProcessException.class);
            assertThat(other).isNotNull();
            assertThat(other.code()).isEqualTo(ErrorCode.PROCESS_ARGUMENTS_CHANGED);
            assertStillPaused(v, s, fx, pid, point, paused);
            assertThat(v.processHistory(100_000)).hasSize(history);

            // Still resumable with the original arguments.
            assertThat(s.call().run(v, fx, pid)).isEqualTo(pid);
            assertCommittedAsUninterrupted(v, s, fx, pid);
        }
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("scenarios")
    void aFinishedIdCannotBeReused(TestBackend backend, Scenario s) {
        String pid = pid(s, "done");
        try (Vault v = create(backend)) {
            Fixture fx = s.setup().apply(v);
            assertThat(s.call().run(v, fx, pid)).isEqualTo(pid);
            assertCommittedAsUninterrupted(v, s, fx, pid);

            assertFinishedIdRefused(v, s, fx, pid);
            // Resuming or stopping it is refused too.
            VaultContents done = VaultContents.of(v);
            TvProcessException resume = catchThrowableOfType(() -> v.resumeProcess(pid), TvProcessException.class);
            assertThat(resume).isNotNull();
            assertThat(resume.code()).isEqualTo(ErrorCode.PROCESS_STATE);
            TvProcessException stop = catchThrowableOfType(() -> v.stopProcess(pid, StopOptions.defaults()),
                    TvProcessException.class);
            assertThat(stop).isNotNull();
            assertThat(stop.code()).isEqualTo(ErrorCode.PROCESS_STATE);
            assertThat(VaultContents.of(v)).isEqualTo(done);
            assertThat(v.process(pid).state()).isEqualTo(ProcessState.COMMITTED);
        }
    }

    // ---- pausing again after a resume ----

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("scenarios")
    void pausedAgainAtEachLaterPointThenCompletes(TestBackend backend, Scenario s) {
        String pid = pid(s, "again");
        try (Vault v = create(backend)) {
            Fixture fx = s.setup().apply(v);
            // Each same-id retry runs into the next armed point and pauses again, with that point's error.
            for (String point : CrashPoints.POINTS.get(s.operation())) {
                if (!point.endsWith(".committed")) {
                    pause(v, s, fx, point, pid);
                }
            }
            assertThat(s.call().run(v, fx, pid)).isEqualTo(pid);
            assertCommittedAsUninterrupted(v, s, fx, pid);
        }
    }

    @ParameterizedTest
    @EnumSource(TestBackend.class)
    void aWritePausedTwiceMidStagingResumesFromItsLatestCheckpoint(TestBackend backend) {
        Scenario s = largeWrite();
        String point = "writeInstance.staged";
        String pid = "twice-write";
        try (Vault v = create(backend)) {
            Fixture fx = s.setup().apply(v);
            pause(v, s, fx, point, pid);
            assertThat(v.process(pid).stepsDone()).isEqualTo(1);
            pause(v, s, fx, point, pid);
            assertThat(v.process(pid).stepsDone()).isEqualTo(2);
            assertThat(checkpoints(v, pid)).isEqualTo(2);

            assertThat(s.call().run(v, fx, pid)).isEqualTo(pid);
            assertCommittedAsUninterrupted(v, s, fx, pid);
            // No batch was staged twice: one checkpoint per batch over the three calls.
            int batches = (Scenarios.LARGE.rowCount() + WriteInstance.BATCH_ROWS - 1) / WriteInstance.BATCH_ROWS;
            assertThat(checkpoints(v, pid)).isEqualTo(batches);
            assertThat(v.process(pid).stepsDone()).isEqualTo(batches);
        }
    }

    @ParameterizedTest
    @EnumSource(TestBackend.class)
    void aWritePausedTwiceMidStagingMaterializesBothBatches(TestBackend backend) {
        Scenario s = largeWrite();
        String point = "writeInstance.staged";
        String pid = "twice-mat";
        try (Vault v = create(backend)) {
            Fixture fx = s.setup().apply(v);
            pause(v, s, fx, point, pid);
            pause(v, s, fx, point, pid);
            v.stopProcess(pid, StopOptions.defaults().materialize(true));
            assertThat(v.process(pid).state()).isEqualTo(ProcessState.MATERIALIZED);
            List<String> ids = v.instances(Scenarios.T, "ext", false);
            assertThat(ids).hasSize(1);
            InstanceDescription d = v.description(Scenarios.T, ids.get(0));
            assertThat(d.success()).isFalse();
            assertThat(d.rows()).isEqualTo(2L * WriteInstance.BATCH_ROWS);
            assertThat(v.dataframe(Scenarios.T, ReadOptions.id(d.id())))
                    .isEqualTo(Scenarios.head(Scenarios.LARGE, 2 * WriteInstance.BATCH_ROWS));
            assertThat(v.locks()).isEmpty();
            Scenarios.assertConsistent(v);
        }
    }

    // ---- one run with SYNC durability ----

    @ParameterizedTest
    @EnumSource(TestBackend.class)
    void syncDurabilityPausedWriteSurvivesReopenAndResumesMidStaging(TestBackend backend) {
        Scenario s = largeWrite();
        String point = "writeInstance.staged";
        String pid = "sync-write";
        TestVault dir = backend.vault(tmp, "sync");
        Fixture fx;
        VaultContents paused;
        VaultOptions sync = options().durability(Durability.SYNC);
        try (Vault v = dir.create(sync)) {
            fx = s.setup().apply(v);
            paused = pause(v, s, fx, point, pid);
            assertThat(v.process(pid).stepsDone()).isEqualTo(1);
        }
        try (Vault v = dir.open(sync)) {
            assertThat(VaultContents.of(v)).isEqualTo(paused);
            assertStillPaused(v, s, fx, pid, point, paused);
            assertConflictBlocked(v, s, fx, pid, point);
            assertThat(s.call().run(v, fx, pid)).isEqualTo(pid);
            assertCommittedAsUninterrupted(v, s, fx, pid);
            // Resumed from its checkpoint: one batch before the pause, the remaining ones after.
            assertThat(v.process(pid).stepsDone()).isEqualTo(
                    (Scenarios.LARGE.rowCount() + WriteInstance.BATCH_ROWS - 1) / WriteInstance.BATCH_ROWS);
        }
        try (Vault v = dir.open(sync)) {
            assertThat(Scenarios.normalized(v)).isEqualTo(reference(s));
        }
    }

    // ---- helpers ----

    /**
     * The state a revert (a failure without user id, or a stop) leaves: {@code before} exactly, except that a
     * reverted execution keeps what it committed on its temporary instance for inspection (the next execution
     * drops it): that one record then has the plan's columns, the rows of its last checkpoint and success
     * false, and those rows hold null or what an uninterrupted run computes.
     */
    private static void assertReverted(Vault v, Scenario s, VaultContents before, String point) {
        VaultContents after = VaultContents.of(v);
        if (!s.isExecute() || !s.persistsAt(point)) {
            assertThat(after).isEqualTo(before);
            return;
        }
        List<String> changed = before.instances().keySet().stream()
                .filter(k -> !before.instances().get(k).equals(after.instances().get(k))).toList();
        assertThat(changed).as("instance records a reverted execution changed").hasSize(1);
        InstanceDescription was = before.instances().get(changed.get(0));
        assertThat(was.temporary()).isTrue();
        int rows = s.stagedRows(point);
        Map<String, InstanceDescription> instances = new TreeMap<>(before.instances());
        instances.put(changed.get(0), new InstanceDescription(was.table(), was.id(), was.version(), true,
                was.externalEdit(), was.originTable(), was.originId(), was.description(), s.frame().columns(),
                was.changedColumns(), rows, false, was.active(), was.changedTime(), was.materializedTime(),
                was.processId(), was.dependencies(), was.columnTimes()));
        assertThat(after).isEqualTo(new VaultContents(before.tables(), instances, before.rows(), before.builders(),
                before.locks(), before.active()));
        assertPartial(v.dataframe(Scenarios.T, ReadOptions.id(was.id())), s.frame(), rows);
    }

    /**
     * A partial result of {@code full}: {@code rows} rows, each value null or the full one at that row (rows
     * keep their positions), and the index column set wherever the index step committed it.
     */
    private static void assertPartial(Frame partial, Frame full, int rows) {
        assertThat(partial.rowCount()).isEqualTo(rows);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < partial.columnCount(); c++) {
                Object got = partial.column(c).get(r);
                if (got != null) {
                    assertThat(got).as("row %d column %s", r, partial.columns().get(c))
                            .isEqualTo(full.column(c).get(r));
                }
            }
            if (r < Math.min(rows, Scenarios.RUN_ROWS)) {
                assertThat(partial.column(0).get(r)).as("index value of row %d", r).isNotNull();
            }
        }
    }

    private static Map<String, String> withoutVersion(Map<String, String> builders, String version) {
        Map<String, String> out = new TreeMap<>(builders);
        out.keySet().removeIf(k -> k.startsWith(Scenarios.T + "/" + version + "/"));
        return out;
    }

    private static Scenario largeWrite() {
        return Scenarios.forOperation("writeInstance").stream().filter(x -> x.frame() == Scenarios.LARGE)
                .findFirst().orElseThrow();
    }

    private static long checkpoints(Vault v, String pid) {
        return v.processLog(pid).stream().filter(e -> e.kind().equals("CHECKPOINT")).count();
    }

    /**
     * Runs the scenario's call with {@code pid} and a THROW armed at {@code point}, and checks the pause: the
     * injected error reaches the caller, the process is PAUSED with that error, holds its locks, a conflicting
     * operation fails at once naming it, and committed state is unchanged. Returns the contents while paused.
     */
    private VaultContents pause(Vault v, Scenario s, Fixture fx, String point, String pid) {
        VaultContents before = VaultContents.of(v);
        CrashPoints.arm(point, CrashPoints.Action.THROW);
        Throwable t = catchThrowable(() -> s.call().run(v, fx, pid));
        assertInjected(t, point);
        CrashPoints.disarmAll();

        VaultContents paused = VaultContents.of(v);
        assertStillPaused(v, s, fx, pid, point, paused);
        assertThat(Scenarios.committedOnly(paused)).as("committed state while paused")
                .isEqualTo(Scenarios.committedOnly(before));
        assertConflictBlocked(v, s, fx, pid, point);
        assertThat(VaultContents.of(v)).as("after the refused conflicting call").isEqualTo(paused);
        Scenarios.assertConsistent(v);
        return paused;
    }

    private static void assertStillPaused(Vault v, Scenario s, Fixture fx, String pid, String point,
                                          VaultContents paused) {
        ProcessInfo info = v.activeProcesses().get(pid);
        assertThat(info).as("active process " + pid).isNotNull();
        assertThat(info.state()).isEqualTo(ProcessState.PAUSED);
        assertThat(info.operation()).isEqualTo(s.operation());
        assertThat(info.error()).contains(CrashPoints.InjectedFailure.class.getName()).contains(injected(point));
        assertThat(v.process(pid).state()).isEqualTo(ProcessState.PAUSED);
        assertThat(v.isProcessComplete(pid)).isFalse();
        assertThat(Scenarios.locks(v)).as("locks while paused")
                .containsExactlyInAnyOrderElementsOf(s.locks().apply(fx, pid));
        assertThat(v.locks()).allSatisfy(l -> assertThat(l.processState()).isEqualTo(ProcessState.PAUSED));
        assertThat(VaultContents.of(v)).isEqualTo(paused);
    }

    private static void assertConflictBlocked(Vault v, Scenario s, Fixture fx, String pid, String point) {
        TvLockException e = catchThrowableOfType(() -> s.conflict().accept(v, fx), TvLockException.class);
        assertThat(e).as("a conflicting call must fail at once").isNotNull();
        assertThat(e.code()).isEqualTo(ErrorCode.LOCK_HELD_BY_PAUSED);
        assertThat(e.holderId()).isEqualTo(s.holderOf(pid));
        assertThat(e.holderState()).isEqualTo(ProcessState.PAUSED);
        assertThat(e.getMessage()).contains(s.holderOf(pid));
        if (!s.isStop()) {
            assertThat(e.holderError()).contains(injected(point));
        }
    }

    private void assertCommittedAsUninterrupted(Vault v, Scenario s, Fixture fx, String pid) {
        assertThat(v.isProcessComplete(pid)).isTrue();
        assertThat(v.process(pid).state()).isEqualTo(ProcessState.COMMITTED);
        assertThat(v.activeProcesses()).isEmpty();
        assertThat(v.locks()).isEmpty();
        if (s.targetEnd() != null) {
            assertThat(v.process(Scenarios.TARGET).state()).isEqualTo(s.targetEnd());
        }
        List<LogEntryInfo> log = v.processLog(pid);
        assertThat(log.get(log.size() - 1).kind()).isEqualTo("END");
        assertThat(log.get(log.size() - 1).step()).isEqualTo("COMMITTED");
        assertThat(log.stream().filter(e -> e.kind().equals("BEGIN")).count()).isEqualTo(1);
        assertThat(Scenarios.normalized(v)).isEqualTo(reference(s));
        s.verify().accept(v, fx);
        Scenarios.assertConsistent(v);
    }

    /** A finished id is refused (PROCESS_STATE) for its own operation and any other, changing nothing. */
    private static void assertFinishedIdRefused(Vault v, Scenario s, Fixture fx, String pid) {
        VaultContents now = VaultContents.of(v);
        int history = v.processHistory(100_000).size();
        ProcessState state = v.process(pid).state();
        TvProcessException e = catchThrowableOfType(() -> s.call().run(v, fx, pid), TvProcessException.class);
        assertThat(e).as("reusing finished id " + pid).isNotNull();
        assertThat(e.code()).isEqualTo(ErrorCode.PROCESS_STATE);
        assertThat(e.getMessage()).contains(pid);
        TvProcessException other = catchThrowableOfType(() -> otherOperation(v, s, pid), TvProcessException.class);
        assertThat(other).isNotNull();
        assertThat(other.code()).isEqualTo(ErrorCode.PROCESS_STATE);
        assertThat(VaultContents.of(v)).isEqualTo(now);
        assertThat(v.processHistory(100_000)).hasSize(history);
        assertThat(v.process(pid).state()).isEqualTo(state);
    }

    /** A different operation under {@code pid}; it would succeed if the id were fresh. */
    private static String otherOperation(Vault v, Scenario s, String pid) {
        return s.operation().equals("createTable")
                ? v.renameTable("other", "another", OpOptions.defaults().processId(pid))
                : v.createTable("zzz", TableOptions.defaults().processId(pid));
    }

    private static void assertInjected(Throwable t, String point) {
        assertThat(t).as("the injected failure reaches the caller unchanged")
                .isExactlyInstanceOf(CrashPoints.InjectedFailure.class).hasMessage(injected(point)).hasNoCause();
        assertThat(t.getSuppressed()).isEmpty();
    }

    private static String injected(String point) {
        return "injected failure at " + point;
    }

    private static String pid(Scenario s, String ending) {
        return ending + "-" + s.name();
    }

    /**
     * The contents after the scenario's call ran uninterrupted in a fresh vault; computed once per scenario, on
     * RocksDB: a run on PostgreSQL must end as one on RocksDB does.
     */
    private static Normalized reference(Scenario s) {
        synchronized (REFERENCE) {
            return REFERENCE.computeIfAbsent(s.name(), n -> {
                // A fresh directory per attempt, so a failed attempt cannot mask the cause of the next one.
                Path dir = shared.resolve("ref-" + n + "-" + REFERENCE_ATTEMPTS.incrementAndGet());
                try (Vault v = TableVault.open(dir, options().create(true))) {
                    Fixture fx = s.setup().apply(v);
                    s.call().run(v, fx, null);
                    s.verify().accept(v, fx);
                    assertThat(v.activeProcesses()).isEmpty();
                    assertThat(v.locks()).isEmpty();
                    return Scenarios.normalized(v);
                }
            });
        }
    }

    private Vault create(TestBackend backend) {
        return backend.vault(tmp, "v" + vaults++).create(options());
    }

    private static VaultOptions options() {
        return VaultOptions.defaults().author("crash-matrix").durability(Durability.NONE)
                .lockTimeout(Duration.ofSeconds(10));
    }
}
