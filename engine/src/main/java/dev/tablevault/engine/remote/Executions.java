package dev.tablevault.engine.remote;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.ExecuteOptions;
import dev.tablevault.api.ProcessInfo;
import dev.tablevault.api.TableVaultException;
import dev.tablevault.api.TvBuilderException;
import dev.tablevault.engine.exec.BuilderSpecs;

import java.util.Set;

/**
 * Executions asked for by a process that does not own the vault. They run in the owner, with the owner's
 * builders (built-in ones, those it registered, and ServiceLoader providers it has); the caller's listener runs
 * in the caller, on the calling thread, as each progress report arrives. Builders registered only in the
 * calling process cannot run in the owner, so an execution (or the resume of one) that would need one fails at
 * once with {@code BAD_BUILDER} instead of running someone else's code of that name.
 */
final class Executions {
    private Executions() {
    }

    static String execute(RemoteVault rv, String table, ExecuteOptions o) {
        if (o != null && rv.owner().local() == null) {
            refuseRegistered(rv, table, o.version());
        }
        ObjectNode c = rv.call("executeInstance", table);
        if (o != null) {
            ObjectNode opts = c.putObject("options");
            opts.put("version", o.version()).put("processId", o.processId()).put("checkpointRows", o.checkpointRows())
                    .put("checkpointMillis", o.checkpointMillis()).put("force", o.force())
                    .put("listener", o.listener() != null);
        }
        return rv.exchange(v -> v.executeInstance(table, o), false, o == null ? null : o.processId(), (w, sent) -> {
            w.send(Wire.CALL, Messages.bytes(c));
            sent[0] = true;
            Throwable[] held = {null};
            return (String) RemoteVault.answer(w, String.class, o == null ? null : o.listener(), held);
        });
    }

    static String resume(RemoteVault rv, String processId) {
        Set<String> registered = rv.options().builders().keySet();
        if (!registered.isEmpty() && rv.owner().local() == null) {
            ProcessInfo p;
            try {
                p = rv.process(processId);
            } catch (TableVaultException e) {
                p = null; // the owner's resumeProcess reports it
            }
            if (p != null && p.operation().equals("executeInstance")) {
                throw refusal("resuming execution " + processId, registered);
            }
        }
        return rv.plain(String.class, false, processId, v -> v.resumeProcess(processId), "resumeProcess", processId);
    }

    /** Fails when a builder of {@code TEMP_<version>} names code registered in this process. */
    private static void refuseRegistered(RemoteVault rv, String table, String version) {
        Set<String> registered = rv.options().builders().keySet();
        if (registered.isEmpty()) {
            return;
        }
        try {
            for (String name : rv.builders(table, version)) {
                String code = BuilderSpecs.codeName(table, rv.builder(table, version, name));
                if (registered.contains(code)) {
                    throw refusal("executing " + table + "/TEMP_" + version + " (its builder '" + name + "' names '"
                            + code + "')", Set.of(code));
                }
            }
        } catch (TvBuilderException e) {
            throw e;
        } catch (TableVaultException e) {
            // no such table or instance: the owner's executeInstance reports it as it would here
        }
    }

    private static TvBuilderException refusal(String what, Set<String> codes) {
        return new TvBuilderException(ErrorCode.BAD_BUILDER, what + " needs builder code registered in this OS process"
                + " (" + ProcessHandle.current().pid() + ": " + codes + "), but another OS process owns the vault and"
                + " executions run there, where code registered here cannot run (not yet supported): execute from the"
                + " owning process, or close it so that this process owns the vault");
    }
}
