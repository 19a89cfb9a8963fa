package org.nnlab.train;

/**
 * Training produced a NaN or infinite loss or gradient. Thrown before the parameters are updated, so
 * the net still holds the last finite weights.
 */
public class NonFiniteException extends ArithmeticException {
    private static final long serialVersionUID = 1L;

    /** @param message names the step and the first layer with a non-finite value */
    public NonFiniteException(String message) {
        super(message);
    }
}
