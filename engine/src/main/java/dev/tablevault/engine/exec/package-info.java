/**
 * Execution ({@code executeInstance}): {@code BuilderSpecs} parses builder specs, {@code Plan} orders the
 * builders and fixes the column layout, {@code Dependencies} pins the instances an execution reads,
 * {@code ExecuteInstance} is the process (locks, validation, the run over the steps, revert, materialization)
 * over the state an {@code Execution} holds, {@code StepRun} runs one step with checkpoints ({@code RowTracker}),
 * {@code Reexecution} chooses the origin, finds what is clean and carries it over ({@code Alignment}), and
 * {@code CellWriter} writes the cells. {@code ExecContext} is what a builder sees. {@code PartialExecution} is
 * what a read of the temporary instance shows while an execution builds it. {@code CallerCode} is the builder code
 * of a calling OS process that is not the owner (the {@code remote} package implements it); {@code StepRun} gives
 * a row-wise one batches of rows.
 *
 * <p>May use {@code process} (the commit of an execution is {@code Materialize.flip}, as a written instance's),
 * {@code data}, {@code builtin}, {@code ref}, {@code store}, {@code codec}, {@code lock}, {@code board}.
 *
 * <p>Thread safety: an execution is driven by the thread running its process; a step with {@code threads > 1}
 * calls its builder from a pool of that many threads ({@code RowThreads}, which the {@code remote} package's
 * caller side uses too), through the thread-safe {@code ExecContext}.
 */
package dev.tablevault.engine.exec;
