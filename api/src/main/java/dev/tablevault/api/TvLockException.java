package dev.tablevault.api;

/**
 * A lock could not be had: the wait timed out, the holder is paused, or waiting would deadlock. Names the
 * holding process, its state, the OS process that runs (or last ran) it and, for a paused holder, the error that
 * paused it.
 */
public class TvLockException extends TableVaultException {
    private static final long serialVersionUID = 1L;
    private final String resource;
    private final String holderId;
    private final ProcessState holderState;
    private final String holderError;
    private final Long holderPid;

    /** Without the holder's OS process (not known). */
    public TvLockException(ErrorCode code, String message, String resource, String holderId,
                           ProcessState holderState, String holderError) {
        this(code, message, resource, holderId, holderState, holderError, null);
    }

    public TvLockException(ErrorCode code, String message, String resource, String holderId,
                           ProcessState holderState, String holderError, Long holderPid) {
        super(code, message);
        this.resource = resource;
        this.holderId = holderId;
        this.holderState = holderState;
        this.holderError = holderError;
        this.holderPid = holderPid;
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

    /**
     * The OS process id of the holder's runner: the process running it now, or the last one that did (for a paused
     * or crashed holder); null when not known.
     */
    public Long holderPid() {
        return holderPid;
    }
}
