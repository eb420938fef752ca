package dev.tablevault.engine.fuzz;

import dev.tablevault.api.TableVaultException;
import dev.tablevault.api.Vault;
import dev.tablevault.engine.builtin.Builtins;

import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * Runs one fuzz input against the {@link Fixture} and judges it: a rejection must be a
 * {@link TableVaultException} with a code and a message, and change nothing ({@link State}); an acceptance is
 * undone ({@link Fixture#restore}). Anything else is a failure recorded in the {@link FuzzRun}.
 */
final class Attempts {
    /** A call against the vault. */
    @FunctionalInterface
    interface Call {
        void run(Vault v) throws Exception;
    }

    private final Fixture fx;
    private final FuzzRun run;
    /**
     * The state after the last clean rejection: the next input starts from it unless a write (which always
     * ends a process, so changes the newest one in the history) or a rebuild came in between.
     */
    private State last;
    private int lastBuild;

    Attempts(Fixture fx, FuzzRun run) {
        this.fx = fx;
        this.run = run;
    }

    /**
     * Runs {@code call} as input {@code i} of {@code category}; {@code input} describes it for a failure.
     * {@code offending}, when not null, is a value a BAD_ARGUMENT message must name.
     */
    FuzzRun.Outcome attempt(String category, int i, String input, String offending, Call call) {
        return attempt(category, i, input, offending, null, call);
    }

    /**
     * As above; {@code executed}, when not null, is the temporary instance an execution fills: a failed
     * execution keeps its partial result there (columns, rows, success false), by design, and the caller
     * removes what an execution left (a materialized instance replaces the temporary one).
     */
    FuzzRun.Outcome attempt(String category, int i, String input, String offending, String executed, Call call) {
        State before = last != null && lastBuild == fx.builds() && last.newest().equals(State.newest(fx.vault)) ? last
                : State.of(fx.vault);
        Fixture.Snapshot snapshot = new Fixture.Snapshot(fx.builds(), before.contents());
        last = null;
        Throwable thrown = null;
        try {
            call.run(fx.vault);
        } catch (Throwable t) {
            thrown = t;
        }
        if (thrown == null) {
            if (executed == null) {
                undo(category, i, input, snapshot);
            }
            return FuzzRun.Outcome.ACCEPTED;
        }
        String problem = problem(thrown, offending);
        State after = State.of(fx.vault);
        String change = before.changes(after, executed);
        if (change != null) {
            problem = (problem == null ? "" : problem + "; and ") + "rejected with " + describe(thrown) + " but "
                    + change;
        }
        if (problem != null) {
            run.fail(category, i, input, problem);
            if (executed == null) {
                undo(category, i, input, snapshot);
            }
            return FuzzRun.Outcome.FAILED;
        }
        if (executed == null) {
            last = after;
            lastBuild = fx.builds();
        }
        return FuzzRun.Outcome.REJECTED;
    }

    /** What is wrong with {@code t} as the answer to bad input, or null. */
    static String problem(Throwable t, String offending) {
        if (t instanceof Builtins.ExternalFailure) {
            return null; // the 'external' builder's simulated outside failure: thrown on purpose, untyped
        }
        if (!(t instanceof TableVaultException tv)) {
            return "untyped " + stack(t);
        }
        if (tv.code() == null || tv.getMessage() == null || tv.getMessage().isBlank()) {
            return "no code or message: " + stack(t);
        }
        if (offending != null && tv.code() == dev.tablevault.api.ErrorCode.BAD_ARGUMENT
                && !tv.getMessage().contains(offending)) {
            return "BAD_ARGUMENT does not name the bad value: " + FuzzRun.show(tv.getMessage());
        }
        return null;
    }

    /** Undoes an accepted input, or the leftovers of a failed one; a failed undo is a failure too. */
    void undo(String category, int i, String input, Fixture.Snapshot before) {
        last = null;
        try {
            fx.restore(before);
        } catch (RuntimeException e) {
            run.fail(category, i, input, "could not undo it: " + stack(e));
            fx.build();
        }
    }

    static String describe(Throwable t) {
        return t instanceof TableVaultException tv ? tv.code() + " (" + FuzzRun.show(t.getMessage()) + ")"
                : t.getClass().getName();
    }

    /** The class, message and first frames of {@code t}. */
    static String stack(Throwable t) {
        StringWriter w = new StringWriter();
        t.printStackTrace(new PrintWriter(w));
        String[] lines = w.toString().split("\n");
        StringBuilder sb = new StringBuilder(FuzzRun.show(lines[0]));
        for (int k = 1; k < Math.min(lines.length, 9); k++) {
            sb.append("\n      ").append(lines[k].strip());
        }
        return sb.toString();
    }
}
