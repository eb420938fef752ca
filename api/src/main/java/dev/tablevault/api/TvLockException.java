package dev.tablevault.api;

/**
 * A lock could not be had: the wait timed out, the holder is paused, or waiting would deadlock. Names the
 * holding process, its state and, for a paused holder, the error that paused it.
 */
public class TvLockException extends TableVaultException {
    private static final long serialVersionUID = 1L;
    private final String resource;
    private final String holderId;
    private final ProcessState holderState;
    private final String holderError;

    public TvLockException(ErrorCode code, String message, String resource, String holderId,
                           ProcessState holderState, String holderError) {
        super(code, message);
        this.resource = resource;
        this.holderId = holderId;
        this.holderState = holderState;
        this.holderError = holderError;
    }

    /** The resource that was asked for, e.g. {@code table:stories}. */
    public String resource() {
        return resource;
    }

    /** The process holding a conflicting lock. */
    public String holderId() {
        return holderId;
    }

    /** The holder's state when the request failed. */
    public ProcessState holderState() {
        return holderState;
    }

    /** The error that paused the holder, or null. */
    public String holderError() {
        return holderError;
    }
}
