package org.nnlab.layer;

import org.nnlab.tensor.Shape;

/** Hyperbolic tangent, element by element; {@code d/dx = 1 - tanh^2}. */
public final class Tanh extends Layer {

    /** @param input shape of one example; the output has the same shape */
    public Tanh(Shape input) {
        super(input, input);
    }

    @Override
    public void forward(Pass pass, float[] in, float[] out) {
        int n = pass.batch() * inputShape().size();
        for (int i = 0; i < n; i++) {
            out[i] = (float) StrictMath.tanh(in[i]); // StrictMath: same bits on every JVM
        }
    }

    @Override
    public void backward(Pass pass, float[] in, float[] out, float[] outGrad, float[] inGrad) {
        if (inGrad == null) {
            return;
        }
        int n = pass.batch() * inputShape().size();
        for (int i = 0; i < n; i++) {
            inGrad[i] = outGrad[i] * (1f - out[i] * out[i]);
        }
    }
}
