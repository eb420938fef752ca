package dev.tablevault.api;

/**
 * Root of every error the engine raises itself. An engine error always reverts the operation that met it,
 * whether or not the caller supplied a process id. Errors thrown by user code (builders, row sources) are
 * never wrapped into this type.
 */
public class TableVaultException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final ErrorCode code;

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
}
