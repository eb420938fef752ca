package dev.tablevault.api;

/**
 * Told of an execution's progress after each checkpoint commits and when a builder finishes, on the thread
 * running the execution. It should return quickly; an exception it throws fails the execution like any
 * exception from outside the engine.
 */
@FunctionalInterface
public interface ExecutionListener {
    /**
     * @param builder the builder running
     * @param step its position in the plan (0: the index builder)
     * @param steps how many builders the plan has
     * @param rowsDone rows of this builder committed so far (carried-over rows included)
     * @param rows the instance's rows, or -1 while the index builder still defines them
     */
    void progress(String builder, int step, int steps, long rowsDone, long rows);
}
