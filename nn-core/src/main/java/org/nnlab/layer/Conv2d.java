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
 * the {@code P} output pixels innermost (see {@link Gemm}). Forward and the input gradient split over
 * examples; the weight gradient splits over filters, each filter summing over the batch in order.
 */
public final class Conv2d extends Layer {
    private final int kernel, filters, stride, pad;
    private final Parameter weights, biases;
    private Scratch[] scratch = new Scratch[0];
    private final float[][] weightGradRows;
    private final float[][][] weightGradViews;
    private final int ckk, pixels;

    // Arguments of the pass in flight, read by the range tasks (bound once to avoid allocation).
    private float[] in, out, outGrad, inGrad;
    private final Workers.RangeTask forwardTask = this::forwardExamples;
    private final Workers.RangeTask inputGradTask = this::inputGradExamples;
    private final Workers.RangeTask weightGradTask = this::weightGradFilters;
    private int batch;

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
        this.weightGradRows = new float[filters][ckk];
        this.weightGradViews = new float[filters][][];
        for (int f = 0; f < filters; f++) {
            weightGradViews[f] = Arrays.copyOfRange(weightGradRows, f, filters);
        }
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

    /** Sets every bias to {@code value}. */
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
        long work = (long) filters * ckk * pixels;
        if (inGrad != null) {
            pass.workers().forEach(batch, work, inputGradTask);
        }
        pass.workers().forEach(filters, work / filters * batch, weightGradTask);
    }

    private void inputGradExamples(int from, int to, int worker) {
        Scratch s = scratch[worker];
        int inSize = inputShape().size(), outSize = outputShape().size();
        for (int n = from; n < to; n++) {
            Gemm.toRows(outGrad, n * outSize, pixels, s.outRows, filters);
            Gemm.multTransA(filters, ckk, pixels, weights.value(), 0, s.outRows, s.col);
            Arrays.fill(inGrad, n * inSize, (n + 1) * inSize, 0f);
            s.im2col.foldAdd(s.col, inGrad, n * inSize);
        }
    }

    private void weightGradFilters(int from, int to, int worker) {
        Scratch s = scratch[worker];
        float[][] dwRows = weightGradRows;
        float[] db = biases.grad();
        int inSize = inputShape().size(), outSize = outputShape().size();
        for (int f = from; f < to; f++) {
            Arrays.fill(dwRows[f], 0f);
        }
        float[][] target = weightGradViews[from]; // rows from..filters-1, made once: no allocation here
        for (int n = 0; n < batch; n++) {
            s.im2col.unfoldTransposed(in, n * inSize, s.colT);
            Gemm.multAdd(to - from, pixels, ckk, outGrad, n * outSize + from * pixels, s.colT, target);
            for (int f = from; f < to; f++) {
                float sum = 0f;
                for (int p = 0, o = n * outSize + f * pixels; p < pixels; p++) {
                    sum += outGrad[o + p];
                }
                db[f] += sum;
            }
        }
        float[] dw = weights.grad();
        for (int f = from; f < to; f++) {
            float[] row = dwRows[f];
            for (int k = 0; k < ckk; k++) {
                dw[f * ckk + k] += row[k];
            }
        }
    }
}
