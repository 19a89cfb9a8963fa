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
 * the {@code P} output pixels innermost (see {@link Gemm}); with stride 1 in {@link Im2col}'s wide
 * form. The input gradient is, for stride 1, itself such a convolution: of the output gradient, padded
 * by {@code kernel - 1 - pad}, with the weights flipped and channels swapped; other strides fold the
 * gradient of the unfolded matrix back. The weight gradient is {@code dOut[F][P] * colT[P][CKK]}, with a
 * column of ones appended to {@code colT} for the bias gradient ({@code colT}'s columns are in
 * {@link Im2col#unfoldTransposed}'s window order).
 * Work splits over examples; parameter
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
    private final int ckk, pixels;
    /**
     * Weight-gradient rows: {@code ckk} weights, then the bias, padded to a multiple of {@link Gemm#LANES}
     * floats so the product has no tail. The unfolded rows carry a 1 in the bias column, so the same
     * product sums the bias gradient, which as a separate loop was a scalar chain of additions.
     */
    private final int ckkRow;
    /** Stride 1: the input gradient is a convolution with these weights, {@code [C][F][K][K]} flipped. */
    private final float[] flipped;

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
        this.ckkRow = (ckk + 1 + Gemm.LANES - 1) / Gemm.LANES * Gemm.LANES;
        this.groupWeightGrads = new float[MAX_GROUPS][filters][ckkRow];
        this.flipped = stride == 1 ? new float[input.channels() * filters * kernel * kernel] : null;
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
        final int columns = im2col.productColumns();
        final float[][] col = new float[ckk][columns];
        final float[][] colT = onesInBiasColumn(new float[pixels][ckkRow]);
        final float[][] outRows = new float[filters][columns];
        final int[] nonzero = new int[pixels];
        // the input gradient as a convolution (stride 1); made on first use, the first layer never needs it
        Im2col gradIm2col;
        float[][] gradCol, inRows;

        void reserveInputGradient() {
            if (gradIm2col == null) {
                Shape in = inputShape();
                gradIm2col = new Im2col(outputShape(), kernel, 1, kernel - 1 - pad, in.height(), in.width());
                gradCol = new float[gradIm2col.rows()][gradIm2col.productColumns()];
                inRows = new float[in.channels()][gradIm2col.productColumns()];
            }
        }
    }

    /** {@link Im2col#unfoldTransposed} writes the first {@code ckk} columns only, so this 1 stays. */
    private float[][] onesInBiasColumn(float[][] colT) {
        for (float[] row : colT) {
            row[ckk] = 1f;
        }
        return colT;
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
                Arrays.fill(s.outRows[f], 0, s.columns, b[f]);
            }
            Gemm.multAddFast(filters, ckk, s.columns, w, 0, s.col, s.outRows);
            s.im2col.toOutput(s.outRows, filters, out, n * outSize);
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
        if (inGrad != null && stride == 1) {
            flipWeights();
        }
        pass.workers().forEach(groups, (long) groupSize * filters * ckk * pixels * (inGrad != null ? 2 : 1),
                backwardTask);
        // Fixed-order reduction of the group partials: the same sums whatever thread ran which group.
        // Summed row by row into group 0 first (a vectorised loop; adding into the flat gradient through
        // the column order below is not), then added once. The columns are in the transposed unfold's
        // window order (ky, kx, c); the weights are (c, ky, kx).
        float[][] sum = groupWeightGrads[0];
        for (int g = 1; g < groups; g++) {
            for (int f = 0; f < filters; f++) {
                float[] total = sum[f], row = groupWeightGrads[g][f];
                for (int j = 0; j <= ckk; j++) {
                    total[j] += row[j];
                }
            }
        }
        float[] dw = weights.grad(), db = biases.grad();
        int channels = inputShape().channels(), kk = kernel * kernel;
        for (int f = 0; f < filters; f++) {
            float[] total = sum[f];
            for (int c = 0, o = f * ckk; c < channels; c++) {
                for (int w = 0; w < kk; w++, o++) {
                    dw[o] += total[w * channels + c];
                }
            }
            db[f] += total[ckk];
        }
    }

    /** {@code flipped[c][f][K-1-ky][K-1-kx] = W[f][c][ky][kx]}: the input gradient's convolution weights. */
    private void flipWeights() {
        float[] w = weights.value();
        int channels = inputShape().channels(), kk = kernel * kernel;
        for (int f = 0; f < filters; f++) {
            for (int c = 0; c < channels; c++) {
                for (int k = 0; k < kk; k++) {
                    flipped[(c * filters + f) * kk + (kk - 1 - k)] = w[(f * channels + c) * kk + k];
                }
            }
        }
    }

    /** Input gradient and this group's share of the parameter gradient, for examples of groups [from, to). */
    private void backwardGroups(int from, int to, int worker) {
        Scratch s = scratch[worker];
        int inSize = inputShape().size(), outSize = outputShape().size();
        for (int g = from; g < to; g++) {
            float[][] dw = groupWeightGrads[g];
            for (int f = 0; f < filters; f++) {
                Arrays.fill(dw[f], 0f);
            }
            for (int n = g * groupSize; n < Math.min(batch, (g + 1) * groupSize); n++) {
                if (inGrad != null) {
                    inputGradient(s, n * outSize, n * inSize);
                }
                s.im2col.unfoldTransposed(in, n * inSize, s.colT);
                // after ReLU and max pooling most of the output gradient is zero
                Gemm.multAddFastSparseA(filters, pixels, ckkRow, outGrad, n * outSize, s.colT, dw, s.nonzero);
            }
        }
    }

    /** Overwrites one example's input gradient at {@code inGrad[inOff..]} from its output gradient. */
    private void inputGradient(Scratch s, int outOff, int inOff) {
        if (stride == 1) {
            s.reserveInputGradient();
            int channels = inputShape().channels(), columns = s.gradIm2col.productColumns();
            s.gradIm2col.unfold(outGrad, outOff, s.gradCol);
            for (int c = 0; c < channels; c++) {
                Arrays.fill(s.inRows[c], 0, columns, 0f);
            }
            Gemm.multAddFast(channels, s.gradIm2col.rows(), columns, flipped, 0, s.gradCol, s.inRows);
            s.gradIm2col.toOutput(s.inRows, channels, inGrad, inOff);
        } else {
            Gemm.toRows(outGrad, outOff, pixels, s.outRows, filters);
            Gemm.multTransA(filters, ckk, pixels, weights.value(), 0, s.outRows, s.col);
            Arrays.fill(inGrad, inOff, inOff + inputShape().size(), 0f);
            s.im2col.foldAdd(s.col, inGrad, inOff);
        }
    }
}
