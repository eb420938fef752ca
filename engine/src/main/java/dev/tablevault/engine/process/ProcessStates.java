package dev.tablevault.engine.process;

import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.ProcessState;
import dev.tablevault.api.TvProcessException;

import java.util.List;

import static dev.tablevault.api.ProcessState.COMMITTED;
import static dev.tablevault.api.ProcessState.MATERIALIZED;
import static dev.tablevault.api.ProcessState.PAUSED;
import static dev.tablevault.api.ProcessState.REVERTED;
import static dev.tablevault.api.ProcessState.RUNNING;
import static dev.tablevault.api.ProcessState.SETUP;
import static dev.tablevault.api.ProcessState.STOPPED;

/**
 * The process life cycle: every change of a process's <em>saved</em> state, with what causes it. The saved
 * state is the one in the process's active record ({@code P/<pid>}) or, once it ended, its finished record
 * ({@code H/<pid>}); {@code null} stands for a process nothing has been saved for yet (a one-step operation
 * saves only its end). What {@code activeProcesses} shows for a process running or unsettled in this JVM is
 * not saved and not checked.
 *
 * <p>{@link #check} runs wherever a record is saved: {@code ProcessContext.putPersistentState} (a checkpoint,
 * a pause), {@code ProcessLog.end} (commit, revert, stop) and the restart's record updates. A change not in
 * {@link #TABLE} is an engine bug: {@code PROCESS_STATE}, thrown before the batch is written.
 *
 * <p>The table is the one in docs/ARCHITECTURE.md under "Process states"; {@code ProcessStatesTest} checks that
 * the docs hold exactly {@link #docsBlock()}. Regenerate it with {@code java -cp
 * api/target/classes:engine/target/classes dev.tablevault.engine.process.ProcessStates}.
 */
final class ProcessStates {
    /** One allowed change of saved state ({@code from} null: nothing saved yet) and what causes it. */
    record Transition(ProcessState from, ProcessState to, String cause) {
    }

    /**
     * Every allowed change, grouped by the state left. The causes are the diagram's labels: the operation or
     * failure that writes the change. SETUP is only ever saved by a {@code writeInstance} still staging its
     * frame ({@code Op.stagesInSetup}); its last staging checkpoint saves RUNNING, so SETUP never commits.
     */
    static final List<Transition> TABLE = List.of(
            // The first batch a process writes.
            new Transition(null, SETUP, "writeInstance stages its first rows"),
            new Transition(null, RUNNING, "first checkpoint"),
            new Transition(null, PAUSED, "pause before any checkpoint"),
            new Transition(null, COMMITTED, "one-step operation commits"),
            new Transition(null, REVERTED, "fails before any checkpoint"),
            new Transition(null, STOPPED, "stopped at its first checkpoint"),
            new Transition(null, MATERIALIZED, "stopped with materialize at its first checkpoint"),
            // A writeInstance staging its frame (after a crash: what restart(true) reverts).
            new Transition(SETUP, SETUP, "staging checkpoint"),
            new Transition(SETUP, RUNNING, "last staging checkpoint"),
            new Transition(SETUP, PAUSED, "pause while staging"),
            new Transition(SETUP, REVERTED, "fails, or restart finds the staging unfinished"),
            new Transition(SETUP, STOPPED, "stopProcess"),
            new Transition(SETUP, MATERIALIZED, "stopProcess with materialize"),
            // A process past its setup, running or left by a crash.
            new Transition(RUNNING, RUNNING, "checkpoint, or restart counts an attempt"),
            new Transition(RUNNING, PAUSED, "pause, or restart gives up after maxRestartAttempts"),
            new Transition(RUNNING, COMMITTED, "commit"),
            new Transition(RUNNING, REVERTED, "fails"),
            new Transition(RUNNING, STOPPED, "stopProcess"),
            new Transition(RUNNING, MATERIALIZED, "stopProcess with materialize"),
            // A paused process: resumed (by resumeProcess, a call with its id, or a restart) or stopped.
            new Transition(PAUSED, SETUP, "resumed writeInstance stages"),
            new Transition(PAUSED, RUNNING, "resumed, checkpoint"),
            new Transition(PAUSED, PAUSED, "resumed and paused again, or restart counts an attempt or gives up"),
            new Transition(PAUSED, COMMITTED, "resumed, commits"),
            new Transition(PAUSED, REVERTED, "resumed and fails"),
            new Transition(PAUSED, STOPPED, "stopProcess"),
            new Transition(PAUSED, MATERIALIZED, "stopProcess with materialize"));

    private static final String BEGIN = "<!-- process-states:begin (rendered by ProcessStates; ProcessStatesTest"
            + " checks it) -->";
    private static final String END = "<!-- process-states:end -->";

    private ProcessStates() {
    }

    /** The transition from {@code from} (null: nothing saved yet) to {@code to}, or null when there is none. */
    static Transition find(ProcessState from, ProcessState to) {
        for (Transition t : TABLE) {
            if (t.from() == from && t.to() == to) {
                return t;
            }
        }
        return null;
    }

    /**
     * Refuses saving process {@code pid} as {@code to} when its saved state is {@code from} (null: nothing saved
     * yet) and the table has no such change; called before the batch holding the record is written.
     */
    static void check(String pid, ProcessState from, ProcessState to) {
        if (find(from, to) == null) {
            throw new TvProcessException(ErrorCode.PROCESS_STATE, "engine error: process " + pid + " cannot go from "
                    + (from == null ? "nothing saved" : from) + " to " + to + "; nothing was written. Report it with"
                    + " the process's log ('tv log " + pid + "')");
        }
    }

    /** True when the table has no change out of {@code s}. */
    static boolean isFinal(ProcessState s) {
        return TABLE.stream().noneMatch(t -> t.from() == s);
    }

    /** The table as a Mermaid {@code stateDiagram-v2}; final states lead to the end marker. */
    static String mermaid() {
        StringBuilder out = new StringBuilder("stateDiagram-v2\n");
        for (Transition t : TABLE) {
            out.append("    ").append(t.from() == null ? "[*]" : t.from().name()).append(" --> ")
                    .append(t.to().name()).append(" : ").append(t.cause()).append('\n');
        }
        for (ProcessState s : ProcessState.values()) {
            if (isFinal(s)) {
                out.append("    ").append(s.name()).append(" --> [*]\n");
            }
        }
        return out.toString();
    }

    /** The block docs/ARCHITECTURE.md holds: the diagram in a Mermaid fence between marker comments. */
    static String docsBlock() {
        return BEGIN + "\n```mermaid\n" + mermaid() + "```\n" + END + "\n";
    }

    /** Prints {@link #docsBlock()}, to paste over the block in docs/ARCHITECTURE.md. */
    public static void main(String[] args) {
        System.out.print(docsBlock());
    }
}
