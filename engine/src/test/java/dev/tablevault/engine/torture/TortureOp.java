package dev.tablevault.engine.torture;

import java.util.Arrays;
import java.util.List;

/**
 * One operation of the torture, as the space-separated line the child prints and the history keeps: a kind,
 * then its arguments ({@code -} for none). Kinds and arguments:
 * {@code createTable T MULTI PID}, {@code renameTable T NEW PID}, {@code deleteTable T PID},
 * {@code createInstance T V EXT ORIGIN PID}, {@code writeInstance T V SEED ROWS PID},
 * {@code deleteInstance T ID PID}, {@code putBuilder T V NAME CODE PID}, {@code deleteBuilder T V NAME PID},
 * {@code executeInstance T V CHECKPOINT_ROWS FORCE PID}, {@code resume PID SAME_CALL}, {@code stop PID MATERIALIZE},
 * {@code read T}, {@code verify}; and, in the history only, {@code restarted PID} (a restart completed a paused
 * process), {@code reverted PID} (an interrupted call's process ended reverted, changing nothing) and
 * {@code disarm FLAG} (a flag file is gone).
 */
record TortureOp(String kind, List<String> args) {
    static TortureOp of(String kind, Object... args) {
        return new TortureOp(kind, Arrays.stream(args).map(a -> a == null ? "-" : a.toString()).toList());
    }

    static TortureOp parse(String line) {
        String[] t = line.trim().split(" ");
        return new TortureOp(t[0], List.of(t).subList(1, t.length));
    }

    String arg(int i) {
        return args.get(i);
    }

    /** Argument {@code i}, null for {@code -}. */
    String opt(int i) {
        return args.get(i).equals("-") ? null : args.get(i);
    }

    boolean flag(int i) {
        return args.get(i).equals("1");
    }

    /** The table an operation on one table concerns, or null. */
    String table() {
        return switch (kind) {
            case "resume", "stop", "verify", "restarted", "reverted", "disarm" -> null;
            default -> args.get(0);
        };
    }

    /** The process id the caller gave (a generated one otherwise), or null. */
    String pid() {
        return switch (kind) {
            case "resume", "stop", "read", "verify", "restarted", "reverted", "disarm" -> null;
            default -> opt(args.size() - 1);
        };
    }

    /** True for operations that change nothing. */
    boolean readOnly() {
        return kind.equals("read") || kind.equals("verify");
    }

    /** True for what only a check records: a restart's completion or revert, a flag file gone. */
    boolean settledOnly() {
        return kind.equals("restarted") || kind.equals("reverted") || kind.equals("disarm");
    }

    @Override
    public String toString() {
        return args.isEmpty() ? kind : kind + " " + String.join(" ", args);
    }

    /**
     * What a call did: {@code ok} (with the new instance id for writes, executions, resumes and materializing
     * stops), {@code paused} (an execution with a process id hit the flaky failure), {@code failed} (one without
     * an id did, and was reverted), {@code err CODE} (a typed error), or {@code x DESCRIPTION} (anything else:
     * always a violation).
     */
    record Outcome(String kind, String detail) {
        static Outcome ok(String id) {
            return new Outcome("ok", id);
        }

        static Outcome parse(String s) {
            int sp = s.indexOf(' ');
            return sp < 0 ? new Outcome(s, null) : new Outcome(s.substring(0, sp), s.substring(sp + 1));
        }

        /** The shape predictions use: {@code ok}, {@code paused}, {@code failed}, {@code err CODE}, {@code x}. */
        String shape() {
            return kind.equals("err") ? "err " + detail : kind;
        }

        boolean ok() {
            return kind.equals("ok");
        }

        @Override
        public String toString() {
            return detail == null ? kind : kind + " " + detail;
        }
    }
}
