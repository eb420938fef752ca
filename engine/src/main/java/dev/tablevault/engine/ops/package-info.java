/**
 * The write operations other than execution, one class per kind: tables ({@code TableOps}: create, rename,
 * delete), instances and builder specs ({@code InstanceOps}: create, delete, put and delete a builder) and
 * {@code WriteInstance} (a frame written by the application, staged in batches, then flipped to be the
 * table's current instance).
 *
 * <p>Each extends {@link dev.tablevault.engine.process.Op} and runs under the process runner. May use
 * {@code process}, {@code data}, {@code store}, {@code codec}, {@code lock}; not {@code exec}. No operation calls
 * another: shared steps live below, in {@code process} ({@code Materialize}, {@code InstanceDrops}) or {@code data}.
 *
 * <p>Thread safety: an operation object is used by the one thread running its process.
 */
package dev.tablevault.engine.ops;
