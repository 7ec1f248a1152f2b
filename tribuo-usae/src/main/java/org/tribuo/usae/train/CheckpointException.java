package org.tribuo.usae.train;

/** A checkpoint could not be read, validated, written or resumed; the message names the file. */
public class CheckpointException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message what went wrong, naming the file. */
    public CheckpointException(String message) {
        super(message);
    }

    /** @param message what went wrong, naming the file. @param cause the cause. */
    public CheckpointException(String message, Throwable cause) {
        super(message, cause);
    }
}
