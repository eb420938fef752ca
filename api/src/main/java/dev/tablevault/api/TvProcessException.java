package dev.tablevault.api;

/** Unknown process id, id already finished, resumed with different arguments, owner still running. */
public class TvProcessException extends TableVaultException {
    private static final long serialVersionUID = 1L;

    public TvProcessException(ErrorCode code, String message) {
        super(code, message);
    }

    public TvProcessException(ErrorCode code, String message, Throwable cause) {
        super(code, message, cause);
    }
}
