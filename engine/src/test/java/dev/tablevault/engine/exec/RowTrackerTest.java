package dev.tablevault.engine.exec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.PrimitiveIterator;
import java.util.Random;
import java.util.TreeSet;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link RowTracker} against a model: the plain set of committed rows. Rows are handed out in {@code todo}
 * order to simulated threads that finish them in a seeded random order; at every step the tracker must say
 * exactly which rows are committed, keep {@code doneAfter} above the first gap, hand out each missing row once,
 * and survive a "resume" from its own {@code (doneBefore, doneAfter)}.
 */
class RowTrackerTest {

    static LongStream seeds() {
        return LongStream.range(0, 200);
    }

    @ParameterizedTest(name = "[{index}] seed {0}")
    @MethodSource("seeds")
    void outOfOrderCompletionOnSimulatedThreadsMatchesTheModel(long seed) {
        Random r = new Random(seed);
        int rows = r.nextInt(120);
        int threads = 1 + r.nextInt(6);
        int inFlightPerThread = 1 + r.nextInt(4);
        // A resumed state: every row below doneBefore plus scattered rows above a gap.
        long doneBefore = rows == 0 ? 0 : r.nextInt(rows);
        TreeSet<Long> model = new TreeSet<>();
        LongStream.range(0, doneBefore).forEach(model::add);
        List<Long> after = new ArrayList<>();
        for (long row = doneBefore + 1; row < rows; row++) {
            if (r.nextInt(4) == 0) {
                after.add(row);
                model.add(row);
            }
        }
        RowTracker t = new RowTracker(doneBefore, after);
        check(t, model, rows, r);

        PrimitiveIterator.OfLong todo = t.todo(rows);
        List<List<Long>> inFlight = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            inFlight.add(new ArrayList<>());
        }
        List<Long> handedOut = new ArrayList<>();
        while (true) {
            // Each thread tops up from the shared todo iterator, then one random thread finishes a random row.
            for (List<Long> q : inFlight) {
                while (q.size() < inFlightPerThread && todo.hasNext()) {
                    long row = todo.nextLong();
                    handedOut.add(row);
                    q.add(row);
                }
            }
            List<List<Long>> busy = inFlight.stream().filter(q -> !q.isEmpty()).toList();
            if (busy.isEmpty()) {
                break;
            }
            List<Long> q = busy.get(r.nextInt(busy.size()));
            long row = q.remove(r.nextInt(q.size()));
            t.markDone(row);
            model.add(row);
            check(t, model, rows, r);
            if (r.nextInt(10) == 0) { // a resume rebuilds the tracker from what it would persist
                t = new RowTracker(t.doneBefore(), t.doneAfter());
                check(t, model, rows, r);
            }
        }
        // Every row missing at the start was handed out exactly once, in increasing order.
        List<Long> missing = LongStream.range(0, rows).boxed().filter(x -> x >= doneBefore && !after.contains(x))
                .toList();
        assertThat(handedOut).isEqualTo(missing);
        assertThat(t.doneBefore()).isEqualTo(rows);
        assertThat(t.doneAfter()).isEmpty();
    }

    /** The tracker's view equals the model's, in every way it can be asked. */
    private static void check(RowTracker t, TreeSet<Long> model, long rows, Random r) {
        long firstGap = 0;
        while (model.contains(firstGap)) {
            firstGap++;
        }
        assertThat(t.doneBefore()).isEqualTo(firstGap);
        assertThat(t.doneAfter()).isEqualTo(new ArrayList<>(model.tailSet(firstGap, false)));
        assertThat(t.doneCount()).isEqualTo(model.size());
        List<Long> todo = new ArrayList<>();
        t.todo(rows).forEachRemaining((long x) -> todo.add(x));
        assertThat(todo).isEqualTo(LongStream.range(0, rows).boxed().filter(x -> !model.contains(x)).toList());
        for (int i = 0; i < 5; i++) {
            long from = r.nextInt((int) rows + 2);
            long to = from + r.nextInt((int) rows + 2);
            boolean expected = LongStream.range(from, to).allMatch(model::contains);
            assertThat(t.allDone(from, to)).as("allDone(%d, %d)", from, to).isEqualTo(expected);
        }
    }

    @Test
    void aRowFinishedAgainChangesNothing() {
        RowTracker t = new RowTracker(3, List.of(5L));
        t.markDone(1);
        t.markDone(5);
        assertThat(t.doneBefore()).isEqualTo(3);
        assertThat(t.doneAfter()).containsExactly(5L);
        assertThat(t.doneCount()).isEqualTo(4);
    }

    @Test
    void closingTheGapCollapsesTheRowsAboveIt() {
        RowTracker t = new RowTracker(2, List.of(4L, 5L, 7L));
        t.markDone(3);
        assertThat(t.doneAfter()).containsExactly(3L, 4L, 5L, 7L);
        assertThat(t.doneBefore()).isEqualTo(2);
        t.markDone(2);
        assertThat(t.doneBefore()).isEqualTo(6);
        assertThat(t.doneAfter()).containsExactly(7L);
    }

    @Test
    void todoSkipsDoneRowsAndEndsWithNoSuchElement() {
        RowTracker t = new RowTracker(2, List.of(3L, 5L));
        PrimitiveIterator.OfLong it = t.todo(7);
        assertThat(it.nextLong()).isEqualTo(2);
        assertThat(it.nextLong()).isEqualTo(4);
        assertThat(it.nextLong()).isEqualTo(6);
        assertThat(it.hasNext()).isFalse();
        assertThatThrownBy(it::nextLong).isInstanceOf(NoSuchElementException.class);
        assertThat(new RowTracker(0, List.of()).todo(0).hasNext()).isFalse();
    }

    @Test
    void allDoneLooksOnlyAtTheAskedRange() {
        RowTracker t = new RowTracker(2, List.of(4L, 5L));
        assertThat(t.allDone(0, 2)).isTrue();
        assertThat(t.allDone(0, 3)).isFalse();
        assertThat(t.allDone(4, 6)).isTrue(); // the gap at 2..3 is below the range
        assertThat(t.allDone(4, 7)).isFalse();
        assertThat(t.allDone(6, 6)).isTrue(); // empty
    }
}
