package io.chgate.engine;

/** The engine library cannot be found or loaded; the message says how to get it. */
public final class EngineUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public EngineUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
