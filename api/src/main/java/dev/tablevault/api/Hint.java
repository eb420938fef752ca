package dev.tablevault.api;

import java.io.Serializable;

/**
 * What a caller can do about an error, as data, so that each front end words it in its own terms: {@link #api()}
 * names methods (and ends {@link TableVaultException#getMessage()}); the {@code tv} command names its commands.
 *
 * @param action  what to do
 * @param subject the process id ({@link Action#RESUME_OR_STOP}, {@link Action#WAIT_OR_STOP}), the table (the
 *                instance and builder actions), or null
 * @param version the version of the instance actions, or null
 */
public record Hint(Action action, String subject, String version) implements Serializable {
    /** The remedies errors name. */
    public enum Action {
        /** The vault does not exist: create it. */
        CREATE_VAULT,
        /** A process is paused, or left by a crash: resume it or stop it. */
        RESUME_OR_STOP,
        /** A process is running in this vault: wait for it or stop it. */
        WAIT_OR_STOP,
        /** A process id finished already: use a fresh one. */
        NEW_PROCESS_ID,
        /** The table has no temporary instance of the version: create it, then add its builders. */
        CREATE_INSTANCE,
        /** The table has no external-edit temporary instance of the version: create one. */
        CREATE_EXTERNAL_INSTANCE,
        /** The temporary instance has no index builder: add one named {@code <table>_index}. */
        PUT_INDEX_BUILDER,
        /** A lock stayed held past the lock timeout: retry later, or wait longer. */
        RETRY_LATER,
        /** No code is known under a spec's builder name: register it, or put its provider on the class path. */
        REGISTER_BUILDER,
        /** A write paused before its frame was staged: write the same frame again with the process id, or stop. */
        WRITE_AGAIN_OR_STOP
    }

    /** Resume or stop process {@code processId}. */
    public static Hint resumeOrStop(String processId) {
        return new Hint(Action.RESUME_OR_STOP, processId, null);
    }

    /** The hint in the API's words. */
    public String api() {
        return switch (action) {
            case CREATE_VAULT -> "pass VaultOptions.create(true) to make one";
            case RESUME_OR_STOP -> "resume it with resumeProcess(\"" + subject + "\") or stop it with stopProcess(\""
                    + subject + "\")";
            case WAIT_OR_STOP -> "wait for it, or stopProcess(\"" + subject + "\")";
            case NEW_PROCESS_ID -> "a finished id can never start again: use generateProcessId()";
            case CREATE_INSTANCE -> "createInstance(\"" + subject + "\", InstanceOptions.defaults().version(\"" + version
                    + "\")) first, then putBuilder";
            case CREATE_EXTERNAL_INSTANCE -> "createInstance(\"" + subject + "\", InstanceOptions.defaults().version(\""
                    + version + "\").externalEdit(true)) first";
            case PUT_INDEX_BUILDER -> "add it with putBuilder (type: index, name: " + subject + "_index)";
            case RETRY_LATER -> "retry later or raise VaultOptions.lockTimeout";
            case REGISTER_BUILDER -> "register it with VaultOptions.builder(\"" + subject + "\", ...), or put a"
                    + " ServiceLoader provider of dev.tablevault.api.Builder with that class name on the class path";
            case WRITE_AGAIN_OR_STOP -> "call writeInstance again with the same frame and process id, or"
                    + " stopProcess(\"" + subject + "\")";
        };
    }
}
