package dev.tablevault.api;

/** I/O errors, corruption, a vault locked by another OS process, an unknown format version. */
public class TvStorageException extends TableVaultException {
    private static final long serialVersionUID = 1L;

    public TvStorageException(ErrorCode code, String message) {
        super(code, message);
    }

    public TvStorageException(ErrorCode code, String message, Throwable cause) {
        super(code, message, cause);
    }
}
