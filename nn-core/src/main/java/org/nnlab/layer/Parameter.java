package org.nnlab.layer;

/**
 * A trainable array of a layer: its values, the gradient of the loss with respect to them, and how
 * strongly L1/L2 weight decay applies to it.
 *
 * <p>As in ConvNetJS, weights get decay multiplier 1 and biases 0: decaying a bias only biases the
 * model. Optimizers read {@link #grad()} and update {@link #value()} in place.
 */
public final class Parameter {
    private final String name;
    private final float[] value;
    private final float[] grad;
    private final float l1Multiplier;
    private final float l2Multiplier;

    /**
     * @param name         what the array is, e.g. "weights [8][1][5][5]"
     * @param size         number of values
     * @param l1Multiplier scales the trainer's L1 decay for this parameter
     * @param l2Multiplier scales the trainer's L2 decay for this parameter
     */
    public Parameter(String name, int size, float l1Multiplier, float l2Multiplier) {
        this.name = name;
        this.value = new float[size];
        this.grad = new float[size];
        this.l1Multiplier = l1Multiplier;
        this.l2Multiplier = l2Multiplier;
    }

    /**
     * Weights: decayed fully.
     *
     * @param name what the array is
     * @param size number of values
     * @return a zeroed parameter with decay multipliers 1
     */
    public static Parameter weights(String name, int size) {
        return new Parameter(name, size, 1f, 1f);
    }

    /**
     * Biases: never decayed.
     *
     * @param name what the array is
     * @param size number of values
     * @return a zeroed parameter with decay multipliers 0
     */
    public static Parameter biases(String name, int size) {
        return new Parameter(name, size, 0f, 0f);
    }

    /** @return what the array is, e.g. "weights [8][1][5][5]" */
    public String name() {
        return name;
    }

    /** @return the number of values */
    public int size() {
        return value.length;
    }

    /** @return the live values; optimizers modify them in place */
    public float[] value() {
        return value;
    }

    /** @return the live gradient; layers add to it during backward, the trainer zeroes it before each step */
    public float[] grad() {
        return grad;
    }

    /** @return the factor on the trainer's L1 decay for this parameter */
    public float l1Multiplier() {
        return l1Multiplier;
    }

    /** @return the factor on the trainer's L2 decay for this parameter */
    public float l2Multiplier() {
        return l2Multiplier;
    }

    /** Sets every gradient value to 0. */
    public void zeroGrad() {
        java.util.Arrays.fill(grad, 0f);
    }

    /**
     * Sets every value to a sample of N(0, std^2), in float arithmetic.
     *
     * @param random source of the samples, one Gaussian per value in index order
     * @param std standard deviation
     */
    public void fillGaussian(java.util.random.RandomGenerator random, double std) {
        float scale = (float) std;
        for (int i = 0; i < value.length; i++) {
            value[i] = (float) random.nextGaussian() * scale;
        }
    }

    /**
     * Sets every value to {@code v}.
     *
     * @param v the value
     */
    public void fill(float v) {
        java.util.Arrays.fill(value, v);
    }

    @Override
    public String toString() {
        return name;
    }
}
