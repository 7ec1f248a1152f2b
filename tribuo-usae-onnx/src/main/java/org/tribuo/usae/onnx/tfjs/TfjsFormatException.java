package org.tribuo.usae.onnx.tfjs;

/**
 * A TensorFlow.js model that cannot be read or converted: malformed files, sizes that do not add up, or an
 * operation, layer or setting the converter does not support. The message is one line and names the file and
 * the field, node or layer at fault, so that a user can find it without a debugger.
 */
public final class TfjsFormatException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** @param message one line naming the file and field, node or layer. */
    public TfjsFormatException(String message) {
        super(message);
    }

    /** @param message one line naming the file and field. @param cause the underlying failure. */
    public TfjsFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
