package dev.tablevault.api;

/** Bad names, missing tables or instances, forbidden names, duplicates. */
public class TvArgumentException extends TableVaultException {
    private static final long serialVersionUID = 1L;

    public TvArgumentException(ErrorCode code, String message) {
        super(code, message);
    }

    public TvArgumentException(ErrorCode code, String message, Throwable cause) {
        super(code, message, cause);
    }
}
