package dev.tablevault.engine.process;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Named points inside every operation where tests inject a failure: an external exception, or halting the
 * JVM as {@code kill -9} would. Public only so that the tests of every package (and of the tools) can arm them;
 * no API call reaches them, and only the process runner fires them.
 * A point is named {@code <operation>.<step>}; {@link #POINTS} lists them all.
 */
public final class CrashPoints {
    /** What an armed point does. */
    public enum Action { THROW, HALT }

    /** The exception a THROW point raises: an error from outside the engine. */
    public static final class InjectedFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        InjectedFailure(String point) {
            super("injected failure at " + point);
        }
    }

    /** Every point by operation, in the order an uninterrupted run passes them. */
    public static final Map<String, List<String>> POINTS = new LinkedHashMap<>();

    static {
        for (String op : List.of("createTable", "renameTable", "deleteTable", "createInstance", "deleteInstance",
                "putBuilder", "deleteBuilder", "stopProcess")) {
            POINTS.put(op, List.of(op + ".locked", op + ".commit", op + ".committed"));
        }
        POINTS.put("writeInstance", List.of("writeInstance.locked", "writeInstance.staged",
                "writeInstance.commit", "writeInstance.committed"));
        // An execution's first checkpoint is the index step's first batch; step: a builder finished; carry:
        // a batch of values copied from the origin committed.
        POINTS.put("executeInstance", List.of("executeInstance.locked", "executeInstance.checkpoint",
                "executeInstance.step", "executeInstance.carry", "executeInstance.commit",
                "executeInstance.committed"));
    }

    /**
     * Points outside any operation: {@code trim.commit} before, {@code trim.committed} after the batch that trims
     * finished processes ({@code Retention}).
     */
    public static final List<String> MAINTENANCE = List.of("trim.commit", "trim.committed");

    private static final Map<String, Action> ARMED = new ConcurrentHashMap<>();

    private CrashPoints() {
    }

    public static void arm(String point, Action action) {
        requireKnown(point);
        if (action == Action.THROW && point.endsWith(".committed")) {
            throw new IllegalArgumentException(point + " follows the commit: only HALT is meaningful there");
        }
        ARMED.put(point, action);
    }

    public static void disarmAll() {
        ARMED.clear();
    }

    /** Fires an armed point once. A THROW at a {@code .committed} point is not allowed: the work is durable. */
    static void hit(String point) {
        if (ARMED.isEmpty()) {
            return;
        }
        Action a = ARMED.remove(point);
        if (a == Action.HALT) {
            Runtime.getRuntime().halt(137);
        } else if (a == Action.THROW) {
            throw new InjectedFailure(point);
        }
    }

    private static void requireKnown(String point) {
        if (POINTS.values().stream().noneMatch(l -> l.contains(point)) && !MAINTENANCE.contains(point)) {
            throw new IllegalArgumentException("unknown crash point " + point + "; known: " + POINTS);
        }
    }
}
