package dev.tablevault.api;

/**
 * Root of every error the engine raises itself. An engine error always reverts the operation that met it,
 * whether or not the caller supplied a process id. Errors thrown by user code (builders, row sources) are
 * never wrapped into this type. What the caller can do about it is, where known, a {@link #hint()}: the message
 * ends with it in the API's words, and the {@code tv} command words it as commands.
 */
public class TableVaultException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final ErrorCode code;
    private Hint hint;

    public TableVaultException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public TableVaultException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    /** The stable code of this error. */
    public ErrorCode code() {
        return code;
    }

    /**
     * Sets what the caller can do about this error; like {@link #initCause}, at most once, where it is thrown.
     *
     * @return this exception
     */
    public TableVaultException withHint(Hint hint) {
        if (this.hint != null) {
            throw new IllegalStateException("hint already set", this);
        }
        this.hint = hint;
        return this;
    }

    /** What the caller can do about this error, or null when the message says it (or nothing can be done). */
    public Hint hint() {
        return hint;
    }

    /** The message without the hint. */
    public String detail() {
        return super.getMessage();
    }

    /** The detail, then {@code "; "} and the hint in the API's words ({@link Hint#api()}) when there is one. */
    @Override
    public String getMessage() {
        return hint == null ? super.getMessage() : super.getMessage() + "; " + hint.api();
    }
}
