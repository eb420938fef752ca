package dev.tablevault.engine.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.Hint;
import dev.tablevault.api.ProcessState;
import dev.tablevault.api.TableVaultException;
import dev.tablevault.api.TvArgumentException;
import dev.tablevault.api.TvBuilderException;
import dev.tablevault.api.TvLockException;
import dev.tablevault.api.TvProcessException;
import dev.tablevault.api.TvStorageException;
import dev.tablevault.engine.process.ProcessContext;

import java.lang.reflect.Constructor;

/**
 * Exceptions across the socket. A {@link TableVaultException} arrives as the same class with the same code,
 * message and {@link Hint} (a {@link TvLockException} with its holder fields too, the holder's OS pid included); another runtime exception as the same class
 * when the client has it and it takes a message, else as an {@link IllegalStateException} naming the owner's
 * class. The stack trace is the caller's own. A failure of the caller's own callback (its execution listener)
 * is marked, so the caller rethrows the very exception object its callback threw.
 */
final class RemoteErrors {
    private RemoteErrors() {
    }

    static ObjectNode encode(Throwable e, boolean fromCallback) {
        ObjectNode n = Messages.object();
        n.put("type", e.getClass().getName());
        n.put("message", e instanceof TableVaultException t ? t.detail() : e.getMessage());
        n.put("callback", fromCallback);
        n.put("fatal", e instanceof Error);
        if (e instanceof TableVaultException t) {
            n.put("code", t.code().name());
            if (t.hint() != null) {
                n.put("hint", t.hint().action().name());
                n.put("hintSubject", t.hint().subject());
                n.put("hintVersion", t.hint().version());
            }
        }
        if (e instanceof TvLockException l) {
            n.put("resource", l.resource());
            n.put("holderId", l.holderId());
            n.put("holderState", l.holderState() == null ? null : l.holderState().name());
            n.put("holderError", l.holderError());
            n.put("holderPid", l.holderPid());
        }
        return n;
    }

    static RuntimeException decode(JsonNode n) {
        RuntimeException e = decodeWithoutHint(n);
        if (e instanceof TableVaultException t && n.hasNonNull("hint")) {
            t.withHint(new Hint(Hint.Action.valueOf(n.get("hint").asText()), text(n, "hintSubject"),
                    text(n, "hintVersion")));
        }
        return e;
    }

    /**
     * The failure of builder code that ran in the calling OS process, as the owner rethrows it: an engine exception
     * as {@link #decode} gives it; any other as a {@link CallerFailure}, or a {@link CallerError} for an
     * {@link Error}, so the process pauses or reverts as it would have in the caller and records the original
     * {@code Class: message}. The caller rethrows its own object either way.
     */
    static Throwable decodeAny(JsonNode n) {
        if (n.hasNonNull("code")) {
            return decode(n);
        }
        String described = text(n, "type") + ": " + text(n, "message");
        return n.path("fatal").asBoolean() ? new CallerError(described) : new CallerFailure(described);
    }

    /** A failure (not an {@link Error}) of the caller's builder code. */
    static final class CallerFailure extends RuntimeException implements ProcessContext.Described {
        private static final long serialVersionUID = 1L;

        CallerFailure(String described) {
            super(described);
        }

        @Override
        public String description() {
            return getMessage();
        }
    }

    /** An {@link Error} the caller's builder code threw. */
    static final class CallerError extends Error implements ProcessContext.Described {
        private static final long serialVersionUID = 1L;

        CallerError(String described) {
            super(described);
        }

        @Override
        public String description() {
            return getMessage();
        }
    }

    private static RuntimeException decodeWithoutHint(JsonNode n) {
        String type = text(n, "type");
        String message = text(n, "message");
        ErrorCode code = n.hasNonNull("code") ? code(n.get("code").asText()) : null;
        if (code != null) {
            if (type.equals(TvLockException.class.getName())) {
                String state = text(n, "holderState");
                return new TvLockException(code, message, text(n, "resource"), text(n, "holderId"),
                        state == null ? null : ProcessState.valueOf(state), text(n, "holderError"),
                        n.hasNonNull("holderPid") ? n.get("holderPid").asLong() : null);
            }
            if (type.equals(TvArgumentException.class.getName())) {
                return new TvArgumentException(code, message);
            }
            if (type.equals(TvBuilderException.class.getName())) {
                return new TvBuilderException(code, message);
            }
            if (type.equals(TvProcessException.class.getName())) {
                return new TvProcessException(code, message);
            }
            if (type.equals(TvStorageException.class.getName())) {
                return new TvStorageException(code, message);
            }
            return new TableVaultException(code, message);
        }
        RuntimeException same = sameClass(type, message);
        return same != null ? same : new IllegalStateException("the owning OS process failed with " + type + ": "
                + message);
    }

    private static ErrorCode code(String name) {
        try {
            return ErrorCode.valueOf(name);
        } catch (IllegalArgumentException e) {
            return ErrorCode.IO; // a code of a newer engine; the handshake keeps this from happening
        }
    }

    /** A runtime exception of the owner's class with its message, when this process has the class. */
    private static RuntimeException sameClass(String type, String message) {
        try {
            Class<?> c = Class.forName(type, false, RemoteErrors.class.getClassLoader());
            if (!RuntimeException.class.isAssignableFrom(c)) {
                return null;
            }
            Constructor<?> k = c.getConstructor(String.class);
            return (RuntimeException) k.newInstance(message);
        } catch (ReflectiveOperationException | LinkageError | SecurityException e) {
            return null;
        }
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
