package org.tribuo.usae.onnx.extract;

/** A backbone model could not be loaded, tapped or run. Messages name the model. */
public class BackboneException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message what went wrong, naming the model. */
    public BackboneException(String message) {
        super(message);
    }

    /** @param message what went wrong, naming the model. @param cause the cause. */
    public BackboneException(String message, Throwable cause) {
        super(message, cause);
    }
}
