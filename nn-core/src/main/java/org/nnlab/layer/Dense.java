package org.nnlab.layer;

import java.util.List;
import java.util.random.RandomGenerator;
import org.nnlab.tensor.Gemm;
import org.nnlab.tensor.Shape;
import org.nnlab.tensor.Workers;

/**
 * Fully connected layer: {@code out[o] = b[o] + sum_i W[o][i] * in[i]}, the input flattened in CHW
 * order. Output shape {@code 1x1xunits}; weights {@code [units][inputs]}, biases {@code [units]}.
 *
 * <p>Wide layers on batches ({@value #WIDE} units or more, {@value #WIDE_BATCH}+ examples) run forward as
 * a row-array product against a transposed copy of the weights (33 GFLOPS at 784x512, batch 64, one
 * core), small ones as dot products (2.6 GFLOPS there, but no copy: right for the lab's 256 x 10).
 */
public final class Dense extends Layer {
    private final int units, inputs;
    static final int WIDE = 32, WIDE_BATCH = 4;
    private final Parameter weights, biases;
    private float[][] transposed; // [inputs][units], refreshed each wide forward
    private float[][][] rowScratch = new float[0][][]; // per worker, one row: Gemm's output form
    private boolean wideNow;

    private float[] in, out, outGrad, inGrad;
    private int batch;
    private final Workers.RangeTask forwardTask = this::forwardExamples;
    private final Workers.RangeTask inputGradTask = this::inputGradExamples;
    private final Workers.RangeTask weightGradTask = this::weightGradUnits;

    /**
     * Weights and biases start at 0; {@link #initialize} (called by the net) draws them.
     *
     * @param input shape of one input example, flattened in CHW order
     * @param units number of outputs
     * @throws IllegalArgumentException if {@code units < 1}
     */
    public Dense(Shape input, int units) {
        super(input, Shape.vector(Conv2d.positive(units, "units")));
        this.units = units;
        this.inputs = input.size();
        this.weights = Parameter.weights("weights [" + units + "][" + inputs + "]", units * inputs);
        this.biases = Parameter.biases("biases [" + units + "]", units);
    }

    /** @return the number of outputs */
    public int units() {
        return units;
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
        weights.fillGaussian(random, Math.sqrt(1.0 / inputs));
    }

    /**
     * Sets every bias to {@code value}.
     *
     * @param value the bias
     */
    public void fillBiases(float value) {
        biases.fill(value);
    }

    @Override
    public void reserve(int batchCapacity, int threads) {
        if (units >= WIDE && rowScratch.length < threads) {
            rowScratch = new float[threads][1][units];
            transposed = new float[inputs][units];
        }
    }

    @Override
    public void forward(Pass pass, float[] in, float[] out) {
        this.in = in;
        this.out = out;
        wideNow = units >= WIDE && pass.batch() >= WIDE_BATCH;
        if (wideNow) {
            float[] w = weights.value();
            for (int o = 0; o < units; o++) {
                for (int i = 0; i < inputs; i++) {
                    transposed[i][o] = w[o * inputs + i];
                }
            }
        }
        pass.workers().forEach(pass.batch(), (long) units * inputs, forwardTask);
    }

    private void forwardExamples(int from, int to, int worker) {
        float[] w = weights.value(), b = biases.value();
        // Both paths add b + w0*x0 + w1*x1 + ... in that order: bitwise the same result.
        if (wideNow) {
            float[][] row = rowScratch[worker];
            for (int n = from; n < to; n++) {
                System.arraycopy(b, 0, row[0], 0, units);
                Gemm.multAdd(1, inputs, units, in, n * inputs, transposed, row);
                System.arraycopy(row[0], 0, out, n * units, units);
            }
            return;
        }
        for (int n = from; n < to; n++) {
            int xo = n * inputs, o = 0;
            // Four units per pass: four independent chains of additions for the CPU to overlap, where
            // one unit at a time waits on each addition (lab's 256 -> 10 layer: 36 -> 23 us per batch of 20).
            for (; o + 3 < units; o += 4) {
                float s0 = b[o], s1 = b[o + 1], s2 = b[o + 2], s3 = b[o + 3];
                for (int i = 0, w0 = o * inputs; i < inputs; i++) {
                    float x = in[xo + i];
                    s0 += w[w0 + i] * x;
                    s1 += w[w0 + inputs + i] * x;
                    s2 += w[w0 + 2 * inputs + i] * x;
                    s3 += w[w0 + 3 * inputs + i] * x;
                }
                out[n * units + o] = s0;
                out[n * units + o + 1] = s1;
                out[n * units + o + 2] = s2;
                out[n * units + o + 3] = s3;
            }
            for (; o < units; o++) {
                float sum = b[o];
                for (int i = 0, wo = o * inputs; i < inputs; i++) {
                    sum += w[wo + i] * in[xo + i];
                }
                out[n * units + o] = sum;
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
