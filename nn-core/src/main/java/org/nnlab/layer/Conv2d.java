package org.nnlab.layer;

import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;
import org.nnlab.tensor.Gemm;
import org.nnlab.tensor.Im2col;
import org.nnlab.tensor.Shape;
import org.nnlab.tensor.Workers;

/**
 * 2-D convolution: {@code filters} kernels of {@code kernel x kernel x C}, zero padding, a stride.
 *
 * <p>Output size: {@code out = floor((in + 2*pad - kernel) / stride) + 1} for height and width;
 * channels = filters. Weights are {@code [filters][C][kernel][kernel]}, biases {@code [filters]}.
 *
 * <p>Computed as im2col + matrix product per example: {@code out[F][P] = W[F][CKK] * col[CKK][P]} with
 * the {@code P} output pixels innermost (see {@link Gemm}). Work splits over examples; parameter
 * gradients are summed per fixed group of examples and the groups reduced in order (see
 * {@link #MAX_GROUPS}), so no work is repeated across threads and the result is thread-count free.
 */
public final class Conv2d extends Layer {
    private final int kernel, filters, stride, pad;
    private final Parameter weights, biases;
    /**
     * The batch's parameter gradient is summed per group of consecutive examples, then the groups in
     * order. Groups depend on the batch size only (at most this many), never on the thread count.
     */
    static final int MAX_GROUPS = 16;
    private Scratch[] scratch = new Scratch[0];
    private final float[][][] groupWeightGrads;
    private final float[][] groupBiasGrads;
    private final int ckk, pixels;

    // Arguments of the pass in flight, read by the range tasks (bound once to avoid allocation).
    private float[] in, out, outGrad, inGrad;
    private final Workers.RangeTask forwardTask = this::forwardExamples;
    private final Workers.RangeTask backwardTask = this::backwardGroups;
    private int batch, groupSize;

    /**
     * Weights and biases start at 0; {@link #initialize} (called by the net) draws them.
     *
     * @param input shape of one input example (H x W x C)
     * @param kernel kernel height and width
     * @param filters number of kernels, the output's channels
     * @param stride step between kernel positions, in pixels
     * @param pad zero rows and columns added on every side, {@code 0 <= pad < kernel}
     * @throws IllegalArgumentException if a setting is out of range or the padded input is smaller than the kernel
     */
    public Conv2d(Shape input, int kernel, int filters, int stride, int pad) {
        super(input, new Shape(outSize(input.height(), kernel, stride, pad, input),
                outSize(input.width(), kernel, stride, pad, input), positive(filters, "filters")));
        this.kernel = kernel;
        this.filters = filters;
        this.stride = stride;
        this.pad = pad;
        this.ckk = input.channels() * kernel * kernel;
        this.pixels = outputShape().height() * outputShape().width();
        this.weights = Parameter.weights("weights [" + filters + "][" + input.channels() + "][" + kernel + "]["
                + kernel + "]", filters * ckk);
        this.biases = Parameter.biases("biases [" + filters + "]", filters);
        this.groupWeightGrads = new float[MAX_GROUPS][filters][ckk];
        this.groupBiasGrads = new float[MAX_GROUPS][filters];
    }

    private static int outSize(int in, int kernel, int stride, int pad, Shape input) {
        positive(kernel, "kernel size");
        positive(stride, "stride");
        if (pad < 0) {
            throw new IllegalArgumentException("padding must be >= 0, got " + pad);
        }
        if (pad >= kernel) {
            throw new IllegalArgumentException("padding " + pad + " must be smaller than the " + kernel + "x"
                    + kernel + " kernel");
        }
        if (in + 2 * pad < kernel) {
            throw new IllegalArgumentException("input " + input + " with padding " + pad + " is smaller than the "
                    + kernel + "x" + kernel + " kernel");
        }
        return (in + 2 * pad - kernel) / stride + 1;
    }

    static int positive(int value, String what) {
        if (value <= 0) {
            throw new IllegalArgumentException(what + " must be > 0, got " + value);
        }
        return value;
    }

    /** @return kernel height and width */
    public int kernel() {
        return kernel;
    }

    /** @return the number of kernels, the output's channels */
    public int filters() {
        return filters;
    }

    /** @return the step between kernel positions */
    public int stride() {
        return stride;
    }

    /** @return the zero padding on every side */
    public int pad() {
        return pad;
    }

    @Override
    public String settings() {
        return kernel + "x" + kernel + ", " + filters + " filters, stride " + stride + ", pad " + pad;
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(weights, biases);
    }

    /** ConvNetJS's scheme: weights ~ N(0, 1/fan_in); biases set by the builder (0, or 0.1 before ReLU). */
    @Override
    public void initialize(RandomGenerator random) {
        weights.fillGaussian(random, Math.sqrt(1.0 / ckk));
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
        if (scratch.length < threads) {
            scratch = new Scratch[threads];
            for (int i = 0; i < threads; i++) {
                scratch[i] = new Scratch();
            }
        }
    }

    /** One worker's buffers; rows, because {@link Gemm} vectorises on row arrays. */
    private final class Scratch {
        final Im2col im2col = new Im2col(inputShape(), kernel, stride, pad, outputShape().height(),
                outputShape().width());
        final float[][] col = new float[ckk][pixels];
        final float[][] colT = new float[pixels][ckk];
        final float[][] outRows = new float[filters][pixels];
    }

    @Override
    public void forward(Pass pass, float[] in, float[] out) {
        this.in = in;
        this.out = out;
        pass.workers().forEach(pass.batch(), (long) filters * ckk * pixels, forwardTask);
    }

    private void forwardExamples(int from, int to, int worker) {
        Scratch s = scratch[worker];
        float[] w = weights.value(), b = biases.value();
        int inSize = inputShape().size(), outSize = outputShape().size();
        for (int n = from; n < to; n++) {
            s.im2col.unfold(in, n * inSize, s.col);
            for (int f = 0; f < filters; f++) {
                Arrays.fill(s.outRows[f], b[f]);
            }
            Gemm.multAdd(filters, ckk, pixels, w, 0, s.col, s.outRows);
            Gemm.fromRows(s.outRows, filters, pixels, out, n * outSize);
        }
    }

    @Override
    public void backward(Pass pass, float[] in, float[] out, float[] outGrad, float[] inGrad) {
        this.in = in;
        this.outGrad = outGrad;
        this.inGrad = inGrad;
        this.batch = pass.batch();
        this.groupSize = (batch + MAX_GROUPS - 1) / MAX_GROUPS;
        int groups = (batch + groupSize - 1) / groupSize;
        pass.workers().forEach(groups, (long) groupSize * filters * ckk * pixels * (inGrad != null ? 2 : 1),
                backwardTask);
        // Fixed-order reduction of the group partials: the same sums whatever thread ran which group.
        float[] dw = weights.grad(), db = biases.grad();
        for (int g = 0; g < groups; g++) {
            float[][] rows = groupWeightGrads[g];
            for (int f = 0; f < filters; f++) {
                float[] row = rows[f];
                for (int k = 0, o = f * ckk; k < ckk; k++) {
                    dw[o + k] += row[k];
                }
                db[f] += groupBiasGrads[g][f];
            }
        }
    }

    /** Input gradient and this group's share of the parameter gradient, for examples of groups [from, to). */
    private void backwardGroups(int from, int to, int worker) {
        Scratch s = scratch[worker];
        int inSize = inputShape().size(), outSize = outputShape().size();
        for (int g = from; g < to; g++) {
            float[][] dw = groupWeightGrads[g];
            float[] db = groupBiasGrads[g];
            for (int f = 0; f < filters; f++) {
                Arrays.fill(dw[f], 0f);
            }
            Arrays.fill(db, 0f);
            for (int n = g * groupSize; n < Math.min(batch, (g + 1) * groupSize); n++) {
                Gemm.toRows(outGrad, n * outSize, pixels, s.outRows, filters);
                if (inGrad != null) {
                    Gemm.multTransA(filters, ckk, pixels, weights.value(), 0, s.outRows, s.col);
                    Arrays.fill(inGrad, n * inSize, (n + 1) * inSize, 0f);
                    s.im2col.foldAdd(s.col, inGrad, n * inSize);
                }
                s.im2col.unfoldTransposed(in, n * inSize, s.colT);
                Gemm.multAdd(filters, pixels, ckk, outGrad, n * outSize, s.colT, dw);
                for (int f = 0; f < filters; f++) {
                    float[] row = s.outRows[f];
                    float sum = 0f;
                    for (int p = 0; p < pixels; p++) {
                        sum += row[p];
                    }
                    db[f] += sum;
                }
            }
        }
    }
}
