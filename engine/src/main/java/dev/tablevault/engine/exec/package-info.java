/**
 * Execution ({@code executeInstance}): {@code BuilderSpecs} parses builder specs, {@code Plan} orders the
 * builders and fixes the column layout, {@code Dependencies} pins the instances an execution reads,
 * {@code ExecuteInstance} runs the steps with checkpoints, re-executes only what changed and carries the rest
 * over ({@code Alignment}, {@code RowTracker}), and {@code CellWriter} writes the cells. {@code ExecContext} is
 * what a builder sees.
 *
 * <p>May use {@code ops} (the commit of an execution is that of a written instance), {@code process},
 * {@code data}, {@code builtin}, {@code ref}, {@code store}, {@code codec}, {@code lock}.
 *
 * <p>Thread safety: an execution is driven by the thread running its process; a step with {@code threads > 1}
 * calls its builder from a pool of that many threads, through the thread-safe {@code ExecContext}.
 */
package dev.tablevault.engine.exec;
