package org.nnlab.layer;

import org.nnlab.tensor.Shape;

/** The custom layer of docs/api.md, kept here so the tour's example is compiled and gradient-checked. */
public final class LeakyRelu extends Layer {
    private final float slope;

    public LeakyRelu(Shape input, float slope) {
        super(input, input);                       // output shape = input shape
        this.slope = slope;
    }

    @Override
    public void forward(Pass pass, float[] in, float[] out) {
        for (int i = 0; i < pass.batch() * inputShape().size(); i++) {
            out[i] = in[i] > 0 ? in[i] : slope * in[i];
        }
    }

    @Override
    public void backward(Pass pass, float[] in, float[] out, float[] outGrad, float[] inGrad) {
        if (inGrad == null) return;                // the first layer needs no input gradient
        for (int i = 0; i < pass.batch() * inputShape().size(); i++) {
            inGrad[i] = in[i] > 0 ? outGrad[i] : slope * outGrad[i];
        }
    }
}
