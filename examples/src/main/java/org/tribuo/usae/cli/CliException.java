package org.tribuo.usae.cli;

/** A user error: printed as one line with no stack trace, exit code 2. */
class CliException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CliException(String message) {
        super(message);
    }
}
