package dev.tablevault.engine.process;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Names the arguments of a resumed call that differ from those its process started with (recorded in BEGIN), so
 * that {@code PROCESS_ARGUMENTS_CHANGED} says which one changed. Stateless.
 */
final class ArgsDiff {
    /** Values longer than this are cut (a spec's text, a column list). */
    private static final int MAX_VALUE = 60;

    private ArgsDiff() {
    }

    /**
     * {@code "checkpointRows was 4096, now 100; force was false, now true"}; or, when the arguments are not two
     * records of one class (no BEGIN, another operation), that the recorded arguments differ.
     */
    static String describe(Object before, Object now) {
        if (before == null || now == null || before.getClass() != now.getClass() || !before.getClass().isRecord()) {
            return "its recorded arguments differ from this call's";
        }
        List<String> changed = new ArrayList<>();
        for (RecordComponent c : before.getClass().getRecordComponents()) {
            Object was = value(c, before);
            Object is = value(c, now);
            if (!Objects.deepEquals(was, is)) {
                changed.add(c.getName() + " was " + shown(was) + ", now " + shown(is));
            }
        }
        return changed.isEmpty() ? "its recorded arguments differ from this call's" : String.join("; ", changed);
    }

    private static Object value(RecordComponent c, Object record) {
        try {
            return c.getAccessor().invoke(record);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read " + c.getName() + " of " + record.getClass().getName(), e);
        }
    }

    private static String shown(Object v) {
        String s = v instanceof String ? "'" + v + "'" : String.valueOf(v);
        return s.length() <= MAX_VALUE ? s : s.substring(0, MAX_VALUE) + "...";
    }
}
