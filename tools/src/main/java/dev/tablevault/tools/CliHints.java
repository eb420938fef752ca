package dev.tablevault.tools;

import dev.tablevault.api.Hint;


/**
 * A {@link Hint} in {@code tv}'s words: the commands to run, with the operator's own {@code --vault}, where the
 * API names methods. Stateless.
 */
final class CliHints {
    private CliHints() {
    }

    /** {@code h} as {@code tv} commands on {@code vault} (the directory as the operator gave it). */
    static String text(Hint h, String vault) {
        String tv = "tv --vault " + quote(vault);
        String v = h.version() == null || h.version().equals("base") ? "" : " --version " + quote(h.version());
        return switch (h.action()) {
            case CREATE_VAULT -> "create one with '" + tv + " init'";
            case RESUME_OR_STOP -> resumeOrStop(vault, h.subject());
            case WAIT_OR_STOP -> "wait for it, or stop it: " + tv + " stop " + quote(h.subject());
            case NEW_PROCESS_ID -> "a finished id can never start again: leave out --process-id, or take a fresh one"
                    + " from '" + tv + " generate-process-id'";
            case CREATE_INSTANCE -> "create it first: " + tv + " create-instance " + quote(h.subject()) + v
                    + ", then add builders: " + tv + " builder put " + quote(h.subject()) + v + " FILE";
            case CREATE_EXTERNAL_INSTANCE -> "create it first: " + tv + " create-instance " + quote(h.subject()) + v
                    + " --external-edit";
            case PUT_INDEX_BUILDER -> "add it: " + tv + " builder put " + quote(h.subject()) + v + " FILE, with"
                    + " 'type: index' and 'name: " + h.subject() + "_index' in FILE";
            case RETRY_LATER -> "retry later; " + tv + " locks shows who holds it";
            case REGISTER_BUILDER -> "tv runs the built-in builders and ServiceLoader providers on its class path:"
                    + " run it with your jar, java -cp tv.jar:YOUR.jar dev.tablevault.tools.Tv --vault " + quote(vault)
                    + " ...";
            case WRITE_AGAIN_OR_STOP -> "run the same write again with --process-id " + quote(h.subject())
                    + ", or stop it: " + stop(vault, h.subject());
        };
    }

    /** {@code resume: tv --vault V resume PID; stop: tv --vault V stop PID [--materialize]}. */
    static String resumeOrStop(String vault, String pid) {
        return "resume: " + resume(vault, pid) + "; stop: " + stop(vault, pid) + " [--materialize]";
    }

    static String resume(String vault, String pid) {
        return "tv --vault " + quote(vault) + " resume " + quote(pid);
    }

    static String stop(String vault, String pid) {
        return "tv --vault " + quote(vault) + " stop " + quote(pid);
    }

    /** {@code s} as one shell word: as is when it has only safe characters, else in single quotes. */
    static String quote(Object s) {
        String t = String.valueOf(s);
        return t.matches("[A-Za-z0-9_./:=@%+-]+") ? t : "'" + t.replace("'", "'\\''") + "'";
    }
}
