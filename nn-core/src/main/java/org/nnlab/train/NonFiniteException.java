package org.nnlab.train;

/**
 * Training produced a NaN or infinite loss or gradient. Thrown before the parameters are updated, so
 * the net still holds the last finite weights.
 */
public class NonFiniteException extends ArithmeticException {
    private static final long serialVersionUID = 1L;

    public NonFiniteException(String message) {
        super(message);
    }
}
