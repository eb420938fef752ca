/**
 * The process runner: every write runs as a process with an id, locks, a durable log (BEGIN, LOCKS,
 * checkpoints) and one atomic commit; a crash or a pause leaves it resumable, and opening a vault restarts
 * or reverts what was left. {@code Processes} is the front: {@code Runner} runs an operation, {@code ProcessLog}
 * reads and ends the process records and log, {@code Settlement} writes pauses, reverts and stops (and keeps
 * those a full disk left unwritten), {@code Restart} resumes what a previous owner left. {@code Op} is what one
 * kind of write operation implements; {@code ProcessContext} is the state of one running process;
 * {@code StopOp} stops another process; {@code Materialize} (the flip of a temporary instance) and {@code InstanceDrops}
 * (deleting instances) are steps operations share; {@code BuildingProcess} finds the active process building a
 * temporary instance, for readers; {@code CrashPoints} are the named points where tests inject a failure; {@code ProcessStates} is the table of
 * process state changes that every save of a process record checks.
 *
 * <p>May use {@code data}, {@code store}, {@code codec}, {@code lock}, {@code board}, {@code runner}. It reaches the open vault only through
 * {@link dev.tablevault.engine.process.OpenVault}, which the front implements, and rebuilds operations through
 * the function the front hands to {@code Processes}, so it never imports the front or the operations.
 *
 * <p>Thread safety: {@code Processes} is thread safe; a {@code ProcessContext} and its {@code Op} are used by
 * the one thread running the process (only {@code requestStop} comes from another).
 */
package dev.tablevault.engine.process;
