package org.tribuo.usae.data;

/**
 * The single unchecked error of the data package. Its message always names the file (or, for
 * in-memory data, the model), the problem and what was expected, so a user can fix the input
 * without reading the code.
 */
public class ActivationSetException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** @param message names the file or model, the problem and the expectation. */
    public ActivationSetException(String message) {
        super(message);
    }

    /**
     * @param message names the file or model, the problem and the expectation.
     * @param cause   the underlying failure (usually an IOException).
     */
    public ActivationSetException(String message, Throwable cause) {
        super(message, cause);
    }
}
