package org.tribuo.usae.onnx.autodiff;

/** Thrown when a gradient graph cannot be built: an unsupported operator or attribute, a bad name or shape. */
public final class GradientException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message what is wrong, naming the node, operator or tensor. */
    public GradientException(String message) {
        super(message);
    }

    /** @param message what is wrong. @param cause the underlying failure. */
    public GradientException(String message, Throwable cause) {
        super(message, cause);
    }
}
