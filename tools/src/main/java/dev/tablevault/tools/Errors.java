package dev.tablevault.tools;

import dev.tablevault.api.TableVaultException;
import dev.tablevault.api.TvLockException;

import java.io.PrintWriter;
import java.util.Map;

/**
 * Prints an error as one line {@code tv: CODE: message}, or with {@code --json} as one JSON object. An error's
 * {@link TableVaultException#hint() hint} is worded as {@code tv} commands ({@link CliHints}), not as the API's
 * methods. The exit codes of {@code tv} that are not {@code ErrorCode}s are here; none clashes with one.
 */
final class Errors {
    /** Exit code of an exception that is not a {@link TableVaultException}. */
    static final int SOFTWARE = 1;
    /** Exit code of a command whose process paused (an external error): resume or stop it. */
    static final int PAUSED = 3;
    /** Exit code of a command interrupted by Ctrl-C (SIGINT): the JVM's own, 128 + 2. */
    static final int INTERRUPTED = 130;

    private Errors() {
    }

    /** Reports {@code e} on {@code err}, hints as commands on {@code vault}, and returns the exit code for it. */
    static int report(PrintWriter err, boolean json, String vault, Throwable e) {
        TableVaultException tv = find(e);
        if (tv == null) {
            String what = e.getClass().getName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            print(err, json, "ERROR", SOFTWARE, what, Map.of());
            return SOFTWARE;
        }
        Map<String, Object> extra = Json.obj();
        if (tv instanceof TvLockException l) {
            extra = Json.obj("resource", l.resource(), "holder", l.holderId(), "holderState", l.holderState(),
                    "holderError", l.holderError(), "holderPid", l.holderPid());
        }
        int exit = tv.code().exitCode();
        String message = tv.getMessage();
        if (tv.hint() != null && vault != null) {
            String hint = CliHints.text(tv.hint(), vault);
            message = tv.detail() + "; " + hint;
            extra.put("hint", hint);
        }
        print(err, json, tv.code().name(), exit, message, extra);
        return exit;
    }

    static void print(PrintWriter err, boolean json, String code, int exit, String message,
                      Map<String, Object> extra) {
        String oneLine = message == null ? "" : message.replaceAll("\\s*\\R\\s*", " ").strip();
        if (json) {
            Map<String, Object> o = Json.obj("error", code, "code", exit, "message", oneLine);
            o.putAll(extra);
            err.println(Json.write(o));
        } else {
            err.println("tv: " + code + ": " + oneLine);
        }
        err.flush();
    }

    private static TableVaultException find(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof TableVaultException tv) {
                return tv;
            }
        }
        return null;
    }
}
