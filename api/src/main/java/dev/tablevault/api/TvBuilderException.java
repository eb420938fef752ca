package dev.tablevault.api;

/** A builder spec is malformed or cannot be executed. */
public class TvBuilderException extends TableVaultException {
    private static final long serialVersionUID = 1L;

    public TvBuilderException(ErrorCode code, String message) {
        super(code, message);
    }

    public TvBuilderException(ErrorCode code, String message, Throwable cause) {
        super(code, message, cause);
    }
}
