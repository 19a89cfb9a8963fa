package org.nnlab.layer;

import org.nnlab.tensor.Shape;
import org.nnlab.tensor.Workers;

/**
 * {@code max(0, x)}, element by element. The gradient at exactly 0 is taken as 0.
 *
 * <p>Split over the examples like the layers around it, so each thread keeps working on the examples
 * whose activations are already in its core's cache.
 */
public final class Relu extends Layer {
    /** {@code y * 2^127 * 2^127} is at least 2^105 for the smallest positive float, so min(.., 1) is exactly 1. */
    private static final float HUGE = 0x1p127f;

    private float[] in, out, outGrad, inGrad;
    private final Workers.RangeTask forwardTask = this::forwardExamples;
    private final Workers.RangeTask backwardTask = this::backwardExamples;

    /** @param input shape of one example; the output has the same shape */
    public Relu(Shape input) {
        super(input, input);
    }

    @Override
    public void forward(Pass pass, float[] in, float[] out) {
        this.in = in;
        this.out = out;
        pass.workers().forEach(pass.batch(), inputShape().size(), forwardTask);
    }

    private void forwardExamples(int from, int to, int worker) {
        float[] in = this.in, out = this.out;
        for (int i = from * inputShape().size(), end = to * inputShape().size(); i < end; i++) {
            out[i] = Math.max(in[i], 0f);
        }
    }

    @Override
    public void backward(Pass pass, float[] in, float[] out, float[] outGrad, float[] inGrad) {
        if (inGrad == null) {
            return;
        }
        this.out = out;
        this.outGrad = outGrad;
        this.inGrad = inGrad;
        pass.workers().forEach(pass.batch(), inputShape().size(), backwardTask);
    }

    private void backwardExamples(int from, int to, int worker) {
        float[] out = this.out, outGrad = this.outGrad, inGrad = this.inGrad;
        for (int i = from * inputShape().size(), end = to * inputShape().size(); i < end; i++) {
            // Branch-free mask (1 where y > 0, else 0): the branchy form mispredicts on real data and
            // does not vectorise; this one runs 4-5x faster (docs/design-notes.md).
            inGrad[i] = outGrad[i] * Math.min(out[i] * HUGE * HUGE, 1f);
        }
    }
}
