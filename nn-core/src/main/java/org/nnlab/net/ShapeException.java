package org.nnlab.net;

/**
 * A network configuration or an input whose shape cannot work. The message names the layer (index and
 * type) and the shapes involved, e.g.
 * {@code layer 3 (MaxPool2d): input 5x5x8 is smaller than the 6x6 window}.
 */
public class ShapeException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** @param message names the layer and the shapes involved */
    public ShapeException(String message) {
        super(message);
    }

    /**
     * @param message names the layer and the shapes involved
     * @param cause the layer constructor's exception this one explains
     */
    public ShapeException(String message, Throwable cause) {
        super(message, cause);
    }
}
