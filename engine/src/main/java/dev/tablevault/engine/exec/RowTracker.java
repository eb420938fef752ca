package dev.tablevault.engine.exec;

import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.PrimitiveIterator;
import java.util.TreeSet;

/**
 * Which rows of one builder are committed: every row below {@code doneBefore} and the rows in
 * {@code doneAfter}. Rows finished out of order sit in {@code doneAfter} until the gap below them closes, so
 * its size stays bounded by the rows in flight. Used by one thread.
 */
final class RowTracker {
    private long doneBefore;
    private final TreeSet<Long> doneAfter;

    RowTracker(long doneBefore, List<Long> doneAfter) {
        this.doneBefore = doneBefore;
        this.doneAfter = new TreeSet<>(doneAfter);
    }

    void markDone(long row) {
        if (row == doneBefore && doneAfter.isEmpty()) {
            doneBefore++; // rows in order: no set to touch
            return;
        }
        if (row >= doneBefore) {
            doneAfter.add(row);
        }
        while (!doneAfter.isEmpty() && doneAfter.first() == doneBefore) {
            doneAfter.pollFirst();
            doneBefore++;
        }
    }

    /** {@link #markDone(long)} of rows {@code [from, to)}; at once when they continue {@code doneBefore}. */
    void markDone(long from, long to) {
        if (from <= doneBefore && doneAfter.isEmpty()) {
            doneBefore = Math.max(doneBefore, to);
            return;
        }
        for (long r = from; r < to; r++) {
            markDone(r);
        }
    }

    long doneBefore() {
        return doneBefore;
    }

    /** How many rows are committed. */
    long doneCount() {
        return doneBefore + doneAfter.size();
    }

    List<Long> doneAfter() {
        return new ArrayList<>(doneAfter);
    }

    boolean allDone(long from, long to) {
        if (to <= doneBefore) {
            return true;
        }
        for (long r = Math.max(from, doneBefore); r < to; r++) {
            if (!doneAfter.contains(r)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The rows below {@code rows} still to compute now, in order. The iterator reads a copy of what is done, so
     * it may be used on another thread (one at a time) while this tracker changes.
     */
    PrimitiveIterator.OfLong todo(long rows) {
        TreeSet<Long> skip = new TreeSet<>(doneAfter);
        long from = doneBefore;
        return new PrimitiveIterator.OfLong() {
            private long next = advance(from);

            private long advance(long start) {
                long r = start;
                while (r < rows && skip.contains(r)) {
                    r++;
                }
                return r;
            }

            @Override
            public boolean hasNext() {
                return next < rows;
            }

            @Override
            public long nextLong() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                long r = next;
                next = advance(r + 1);
                return r;
            }
        };
    }
}
