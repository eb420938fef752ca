package dev.tablevault.bench;

import dev.tablevault.api.BuildContext;
import dev.tablevault.api.RowBuilder;

import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * P4's column builder (the row number as a LONG): counts calls per row, throws {@link SimulatedKill} at
 * {@code failAt}, and records the first call after {@link #resumeFrom}.
 */
final class ResumeProbe implements RowBuilder {
    final AtomicIntegerArray calls;
    volatile long failAt;
    volatile boolean resumed;
    volatile long firstNanos;
    volatile long firstRow = -1;
    /** Run once at the first call after {@link #resumeFrom}, after its time is taken (a diagnostic's snapshot). */
    volatile Runnable atFirst = () -> { };

    /** The failure the probe throws: from outside the engine, so a process with a user id pauses. */
    static final class SimulatedKill extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SimulatedKill(long row) {
            super("simulated kill at row " + row);
        }
    }

    ResumeProbe(int rows, long failAt) {
        this.calls = new AtomicIntegerArray(rows);
        this.failAt = failAt;
    }

    void resumeFrom() {
        failAt = -1;
        resumed = true;
    }

    @Override
    public List<Object> build(BuildContext ctx, long row) {
        if (resumed && firstRow < 0) {
            firstNanos = System.nanoTime();
            firstRow = row;
            atFirst.run();
        }
        calls.incrementAndGet((int) row);
        if (row == failAt) {
            throw new SimulatedKill(row);
        }
        return List.of(row);
    }
}
