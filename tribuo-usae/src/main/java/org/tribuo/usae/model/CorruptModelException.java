package org.tribuo.usae.model;

/**
 * A model file whose content fails its own integrity check: the stored SHA-256 does not match the
 * bytes, or the payload is not what its format version stores. The message starts with
 * "corrupt model:" and does not name the file (the model layer never sees a path); callers that
 * know the file prefix it.
 */
public final class CorruptModelException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /** @param message what does not match, starting with "corrupt model:". */
    public CorruptModelException(String message) {
        super(message);
    }
}
