package org.nnlab.layer;

import org.nnlab.tensor.Shape;

/** {@code max(0, x)}, element by element. The gradient at exactly 0 is taken as 0. */
public final class Relu extends Layer {

    public Relu(Shape input) {
        super(input, input);
    }

    @Override
    public void forward(Pass pass, float[] in, float[] out) {
        int n = pass.batch() * inputShape().size();
        for (int i = 0; i < n; i++) {
            out[i] = Math.max(in[i], 0f);
        }
    }

    @Override
    public void backward(Pass pass, float[] in, float[] out, float[] outGrad, float[] inGrad) {
        if (inGrad == null) {
            return;
        }
        int n = pass.batch() * inputShape().size();
        for (int i = 0; i < n; i++) {
            inGrad[i] = out[i] > 0f ? outGrad[i] : 0f;
        }
    }
}
