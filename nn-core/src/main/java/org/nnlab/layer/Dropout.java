package org.nnlab.layer;

import org.nnlab.tensor.SeededRandom;
import org.nnlab.tensor.Shape;

/**
 * Inverted dropout: in training, each value is zeroed with probability {@code rate} and the survivors
 * are scaled by {@code 1 / (1 - rate)}; at inference it is the identity, so predictions need no
 * rescaling and use no randomness. The mask comes from the layer's own seeded stream, drawn on the
 * calling thread in example order, so it is the same for any thread count.
 */
public final class Dropout extends Layer {
    private final float rate;
    private final SeededRandom random;
    private float[] mask = new float[0];

    /**
     * @param input shape of one example; the output has the same shape
     * @param rate probability of zeroing a value in training, in {@code [0, 1)}
     * @param random the layer's own mask stream
     * @throws IllegalArgumentException if {@code rate} is outside {@code [0, 1)} or NaN
     */
    public Dropout(Shape input, float rate, SeededRandom random) {
        super(input, input);
        if (!(rate >= 0f && rate < 1f)) {
            throw new IllegalArgumentException("dropout rate must be in [0, 1), got " + rate);
        }
        this.rate = rate;
        this.random = random;
    }

    /** @return the probability of zeroing a value in training */
    public float rate() {
        return rate;
    }

    @Override
    public String settings() {
        return "rate " + rate;
    }

    /** @return the mask stream, live, e.g. to save or restore its state */
    public SeededRandom random() {
        return random;
    }

    @Override
    public void reserve(int batchCapacity, int threads) {
        if (mask.length < batchCapacity * inputShape().size()) {
            mask = new float[batchCapacity * inputShape().size()];
        }
    }

    @Override
    public void forward(Pass pass, float[] in, float[] out) {
        int n = pass.batch() * inputShape().size();
        if (!pass.training()) {
            System.arraycopy(in, 0, out, 0, n);
            return;
        }
        float keep = 1f / (1f - rate);
        for (int i = 0; i < n; i++) {
            mask[i] = random.nextFloat() < rate ? 0f : keep;
            out[i] = in[i] * mask[i];
        }
    }

    @Override
    public void backward(Pass pass, float[] in, float[] out, float[] outGrad, float[] inGrad) {
        if (inGrad == null) {
            return;
        }
        int n = pass.batch() * inputShape().size();
        for (int i = 0; i < n; i++) {
            inGrad[i] = pass.training() ? outGrad[i] * mask[i] : outGrad[i];
        }
    }
}
