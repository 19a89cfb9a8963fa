package org.nnlab.layer;

import org.nnlab.tensor.Shape;

/** Logistic function {@code 1 / (1 + e^-x)}, element by element; {@code d/dx = y (1 - y)}. */
public final class Sigmoid extends Layer {

    /** @param input shape of one example; the output has the same shape */
    public Sigmoid(Shape input) {
        super(input, input);
    }

    @Override
    public void forward(Pass pass, float[] in, float[] out) {
        int n = pass.batch() * inputShape().size();
        for (int i = 0; i < n; i++) {
            out[i] = (float) (1.0 / (1.0 + StrictMath.exp(-in[i])));
        }
    }

    @Override
    public void backward(Pass pass, float[] in, float[] out, float[] outGrad, float[] inGrad) {
        if (inGrad == null) {
            return;
        }
        int n = pass.batch() * inputShape().size();
        for (int i = 0; i < n; i++) {
            inGrad[i] = outGrad[i] * out[i] * (1f - out[i]);
        }
    }
}
