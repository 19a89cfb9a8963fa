package org.nnlab.layer;

import java.util.List;
import java.util.random.RandomGenerator;
import org.nnlab.tensor.Gemm;
import org.nnlab.tensor.Shape;
import org.nnlab.tensor.Workers;

/**
 * Fully connected layer: {@code out[o] = b[o] + sum_i W[o][i] * in[i]}, the input flattened in CHW
 * order. Output shape {@code 1x1xunits}; weights {@code [units][inputs]}, biases {@code [units]}.
 */
public final class Dense extends Layer {
    private final int units, inputs;
    private final Parameter weights, biases;

    private float[] in, out, outGrad, inGrad;
    private int batch;
    private final Workers.RangeTask forwardTask = this::forwardExamples;
    private final Workers.RangeTask inputGradTask = this::inputGradExamples;
    private final Workers.RangeTask weightGradTask = this::weightGradUnits;

    public Dense(Shape input, int units) {
        super(input, Shape.vector(Conv2d.positive(units, "units")));
        this.units = units;
        this.inputs = input.size();
        this.weights = Parameter.weights("weights [" + units + "][" + inputs + "]", units * inputs);
        this.biases = Parameter.biases("biases [" + units + "]", units);
    }

    @Override
    public String settings() {
        return inputs + " -> " + units;
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(weights, biases);
    }

    /** ConvNetJS's scheme: weights ~ N(0, 1/fan_in), biases 0 (the builder may set 0.1 before ReLU). */
    @Override
    public void initialize(RandomGenerator random) {
        float scale = (float) Math.sqrt(1.0 / inputs);
        float[] w = weights.value();
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) random.nextGaussian() * scale;
        }
    }

    /** Sets every bias to {@code value}. */
    public void fillBiases(float value) {
        java.util.Arrays.fill(biases.value(), value);
    }

    @Override
    public void forward(Pass pass, float[] in, float[] out) {
        this.in = in;
        this.out = out;
        pass.workers().forEach(pass.batch(), (long) units * inputs, forwardTask);
    }

    private void forwardExamples(int from, int to, int worker) {
        float[] w = weights.value(), b = biases.value();
        for (int n = from; n < to; n++) {
            for (int o = 0; o < units; o++) {
                out[n * units + o] = b[o] + Gemm.dot(inputs, w, o * inputs, in, n * inputs);
            }
        }
    }

    @Override
    public void backward(Pass pass, float[] in, float[] out, float[] outGrad, float[] inGrad) {
        this.in = in;
        this.outGrad = outGrad;
        this.inGrad = inGrad;
        this.batch = pass.batch();
        if (inGrad != null) {
            pass.workers().forEach(batch, (long) units * inputs, inputGradTask);
        }
        pass.workers().forEach(units, (long) inputs * batch, weightGradTask);
    }

    private void inputGradExamples(int from, int to, int worker) {
        java.util.Arrays.fill(inGrad, from * inputs, to * inputs, 0f);
        for (int n = from; n < to; n++) {
            for (int o = 0; o < units; o++) {
                Gemm.axpy(inputs, outGrad[n * units + o], weights.value(), o * inputs, inGrad, n * inputs);
            }
        }
    }

    private void weightGradUnits(int from, int to, int worker) {
        float[] dw = weights.grad(), db = biases.grad();
        for (int n = 0; n < batch; n++) {
            for (int o = from; o < to; o++) {
                float g = outGrad[n * units + o];
                Gemm.axpy(inputs, g, in, n * inputs, dw, o * inputs);
                db[o] += g;
            }
        }
    }
}
