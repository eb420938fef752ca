package dev.tablevault.engine.remote;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tablevault.api.Builder;
import dev.tablevault.api.ExecuteOptions;
import dev.tablevault.api.FrameBuilder;
import dev.tablevault.api.GeneratorBuilder;
import dev.tablevault.api.RowBuilder;

import java.util.Map;

/**
 * Executions (and resumes) asked for by a process that does not own the vault. They run in the owner, which
 * commits every checkpoint; the call lists the builder code registered in this process (name, the interfaces
 * it implements, its code version), and the owner calls a builder whose code name is one of them back here
 * ({@link CallerRuns}) while other builders run in the owner. The caller's listener runs in the caller, on the
 * calling thread, as each progress report arrives. A failure of the caller's own code (builder or listener)
 * reaches it as the very object its code threw.
 */
final class Executions {
    private Executions() {
    }

    static String execute(RemoteVault rv, String table, ExecuteOptions o) {
        ObjectNode c = rv.call("executeInstance", table);
        if (o != null) {
            ObjectNode opts = c.putObject("options");
            opts.put("version", o.version()).put("processId", o.processId()).put("checkpointRows", o.checkpointRows())
                    .put("checkpointMillis", o.checkpointMillis()).put("force", o.force())
                    .put("listener", o.listener() != null);
        }
        code(rv, c);
        return rv.exchange(v -> v.executeInstance(table, o), false, o == null ? null : o.processId(), (w, sent) -> {
            w.send(Wire.CALL, Messages.bytes(c));
            sent[0] = true;
            Throwable[] held = {null};
            return (String) RemoteVault.answer(w, String.class, new RemoteVault.Callbacks(rv,
                    o == null ? null : o.listener(), held));
        });
    }

    static String resume(RemoteVault rv, String processId) {
        ObjectNode c = rv.call("resumeProcess", processId);
        code(rv, c);
        return rv.exchange(v -> v.resumeProcess(processId), false, processId, (w, sent) -> {
            w.send(Wire.CALL, Messages.bytes(c));
            sent[0] = true;
            Throwable[] held = {null};
            return (String) RemoteVault.answer(w, String.class, new RemoteVault.Callbacks(rv, null, held));
        });
    }

    /** Adds the builder code registered in this process to call {@code c}. */
    private static void code(RemoteVault rv, ObjectNode c) {
        ObjectNode builders = c.putObject("builders");
        for (Map.Entry<String, Builder> e : rv.options().builders().entrySet()) {
            ObjectNode b = builders.putObject(e.getKey());
            ArrayNode kinds = b.putArray("kinds");
            if (e.getValue() instanceof RowBuilder) {
                kinds.add("row");
            }
            if (e.getValue() instanceof FrameBuilder) {
                kinds.add("frame");
            }
            if (e.getValue() instanceof GeneratorBuilder) {
                kinds.add("generator");
            }
            b.put("codeVersion", e.getValue().codeVersion());
        }
    }
}
