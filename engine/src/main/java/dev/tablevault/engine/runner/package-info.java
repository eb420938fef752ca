/**
 * Who runs a process: {@code RunnerId}, an OS process by pid and start time, and whether it is alive. The
 * process records name their runner and the live board names its writer by it; a SETUP or RUNNING process whose
 * runner is gone shows as CRASHED.
 *
 * <p>May use {@code codec}. Thread safety: immutable values.
 */
package dev.tablevault.engine.runner;
