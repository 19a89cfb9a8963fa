package org.nnlab.layer;

import java.util.Arrays;
import org.nnlab.tensor.Shape;
import org.nnlab.tensor.Workers;

/**
 * Max pooling over {@code window x window} regions of each channel, moved by {@code stride}.
 *
 * <p>Output size: {@code out = floor((in - window) / stride) + 1}; channels unchanged. Windows that
 * would run past the edge are dropped, as in ConvNetJS and PyTorch. The gradient goes to the first
 * maximum of each window (ties are broken by scan order, deterministically).
 */
public final class MaxPool2d extends Layer {
    private final int window, stride;
    private int[] argmax = new int[0];
    /** Whether the last forward was a training pass, which alone records {@link #argmax}. */
    private boolean training;

    private float[] in, out, outGrad, inGrad;
    private final Workers.RangeTask forwardTask = this::forwardExamples;
    private final Workers.RangeTask backwardTask = this::backwardExamples;

    /**
     * @param input shape of one input example (H x W x C)
     * @param window window height and width
     * @param stride step between windows
     * @throws IllegalArgumentException if {@code window} or {@code stride} is below 1 or the window is larger
     *     than the input
     */
    public MaxPool2d(Shape input, int window, int stride) {
        super(input, new Shape(outSize(input, input.height(), window, stride),
                outSize(input, input.width(), window, stride), input.channels()));
        this.window = window;
        this.stride = stride;
    }

    private static int outSize(Shape input, int in, int window, int stride) {
        Conv2d.positive(window, "pooling window");
        Conv2d.positive(stride, "stride");
        if (input.height() < window || input.width() < window) {
            throw new IllegalArgumentException("input " + input + " is smaller than the " + window + "x" + window
                    + " window");
        }
        return (in - window) / stride + 1;
    }

    /** @return window height and width */
    public int window() {
        return window;
    }

    /** @return the step between windows */
    public int stride() {
        return stride;
    }

    @Override
    public String settings() {
        return window + "x" + window + ", stride " + stride;
    }

    @Override
    public void reserve(int batchCapacity, int threads) {
        int needed = batchCapacity * outputShape().size();
        if (argmax.length < needed) {
            argmax = new int[needed];
        }
    }

    @Override
    public void forward(Pass pass, float[] in, float[] out) {
        this.in = in;
        this.out = out;
        this.training = pass.training();
        pass.workers().forEach(pass.batch(), (long) inputShape().size(), forwardTask);
    }

    private void forwardExamples(int from, int to, int worker) {
        float[] in = this.in, out = this.out; // locals: C2 keeps them in registers across the stores
        int[] argmax = this.argmax;
        int inH = inputShape().height(), inW = inputShape().width();
        int outH = outputShape().height(), outW = outputShape().width();
        int inSize = inputShape().size(), outSize = outputShape().size();
        int channels = inputShape().channels(), window = this.window, stride = this.stride;
        for (int n = from; n < to; n++) {
            for (int c = 0; c < channels; c++) {
                int plane = n * inSize + c * inH * inW;
                for (int oy = 0; oy < outH; oy++) {
                    int o = n * outSize + (c * outH + oy) * outW;
                    int corner = plane + oy * stride * inW;
                    if (window == 2 || window == 3) {
                        if (!training) {
                            maxima(window, in, out, o, corner, outW, inW, stride);
                        } else if (window == 2) {
                            windows2(in, out, argmax, o, corner, outW, inW, stride);
                        } else {
                            windows3(in, out, argmax, o, corner, outW, inW, stride);
                        }
                        continue;
                    }
                    for (int ox = 0; ox < outW; ox++) {
                        out[o + ox] = in[corner + ox * stride];
                        argmax[o + ox] = corner + ox * stride;
                    }
                    // Window positions outermost, output columns innermost: the columns are
                    // independent, so the CPU overlaps them instead of waiting on one compare chain.
                    for (int ky = 0; ky < window; ky++) {
                        int row = corner + ky * inW;
                        for (int kx = 0; kx < window; kx++) {
                            for (int ox = 0; ox < outW; ox++) {
                                int at = row + ox * stride + kx;
                                float v = in[at];
                                boolean better = v > out[o + ox];
                                argmax[o + ox] = better ? at : argmax[o + ox];
                                out[o + ox] = better ? v : out[o + ox];
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * One output row for 2x2 and 3x3 windows, written out with locals, in the general loop's scan
     * order. The selects are bit operations on {@link #greater}'s mask rather than {@code ?:}: C2 turns
     * a {@code ?:} into a branch or a conditional move depending on its profile, and in a whole
     * training step (ReLU outputs, many zeros and ties) it chose branches that mispredicted, making the
     * first pool 4x slower per example than in {@code LayerBenchmark} (docs/design-notes.md).
     */
    private static void windows2(float[] in, float[] out, int[] argmax, int o, int corner, int outW, int w,
                                 int stride) {
        for (int ox = 0; ox < outW; ox++) {
            int p = corner + ox * stride, q = p + w, m;
            // a tournament (each pair keeps its later value only if strictly greater) finds the same
            // first maximum as a scan, with half the dependent steps
            float v = in[p + 1], top = in[p];
            m = greater(v, top); int topAt = p - m; top = select(v, top, m);
            v = in[q + 1]; float bottom = in[q];
            m = greater(v, bottom); int bottomAt = q - m; bottom = select(v, bottom, m);
            m = greater(bottom, top);
            out[o + ox] = select(bottom, top, m);
            argmax[o + ox] = topAt ^ ((topAt ^ bottomAt) & m);
        }
    }

    private static void windows3(float[] in, float[] out, int[] argmax, int o, int corner, int outW, int w,
                                 int stride) {
        for (int ox = 0; ox < outW; ox++) {
            int p = corner + ox * stride, q = p + w, r = q + w, m;
            float v, a = in[p], b = in[q], c = in[r];
            int aAt = p, bAt = q, cAt = r;
            // the three rows side by side, then the rows against each other: same first maximum as a scan
            v = in[p + 1]; m = greater(v, a); aAt ^= (aAt ^ (p + 1)) & m; a = select(v, a, m);
            v = in[q + 1]; m = greater(v, b); bAt ^= (bAt ^ (q + 1)) & m; b = select(v, b, m);
            v = in[r + 1]; m = greater(v, c); cAt ^= (cAt ^ (r + 1)) & m; c = select(v, c, m);
            v = in[p + 2]; m = greater(v, a); aAt ^= (aAt ^ (p + 2)) & m; a = select(v, a, m);
            v = in[q + 2]; m = greater(v, b); bAt ^= (bAt ^ (q + 2)) & m; b = select(v, b, m);
            v = in[r + 2]; m = greater(v, c); cAt ^= (cAt ^ (r + 2)) & m; c = select(v, c, m);
            m = greater(b, a); aAt ^= (aAt ^ bAt) & m; a = select(b, a, m);
            m = greater(c, a); aAt ^= (aAt ^ cAt) & m; a = select(c, a, m);
            out[o + ox] = a;
            argmax[o + ox] = aAt;
        }
    }

    /**
     * Inference needs no argmax: {@code Math.max} (branch-free on C2) is enough. Same values as the
     * training pass, except that a window whose maximum is a tie of {@code -0f} and {@code +0f} may give
     * {@code +0f} (equal as numbers; ReLU outputs have no {@code -0f}).
     */
    private static void maxima(int window, float[] in, float[] out, int o, int corner, int outW, int w,
                               int stride) {
        for (int ox = 0; ox < outW; ox++) {
            int p = corner + ox * stride, q = p + w;
            if (window == 2) {
                out[o + ox] = Math.max(Math.max(in[p], in[p + 1]), Math.max(in[q], in[q + 1]));
            } else {
                int r = q + w;
                float a = Math.max(Math.max(in[p], in[p + 1]), in[p + 2]);
                float b = Math.max(Math.max(in[q], in[q + 1]), in[q + 2]);
                float c = Math.max(Math.max(in[r], in[r + 1]), in[r + 2]);
                out[o + ox] = Math.max(Math.max(a, b), c);
            }
        }
    }

    /**
     * All ones if {@code v > best}, else 0, for finite values (equal to {@code v > best}, ties and
     * signed zeros included): {@code best - v} is negative exactly then, and adding {@code +0f} turns a
     * {@code -0f} difference into {@code +0f}. With infinities or NaN it may pick the later of equal
     * values; such activations stop training anyway ({@code NonFinitePolicy}).
     */
    private static int greater(float v, float best) {
        return Float.floatToRawIntBits(best - v + 0f) >> 31;
    }

    /** {@code v} where {@code mask} is all ones, else {@code best}, bit for bit. */
    private static float select(float v, float best, int mask) {
        int b = Float.floatToRawIntBits(best);
        return Float.intBitsToFloat(b ^ ((b ^ Float.floatToRawIntBits(v)) & mask));
    }

    @Override
    public void backward(Pass pass, float[] in, float[] out, float[] outGrad, float[] inGrad) {
        if (inGrad == null) {
            return;
        }
        if (!training) {
            throw new IllegalStateException("max pooling backward after an inference forward: only a forward with"
                    + " training = true records where each maximum was");
        }
        this.outGrad = outGrad;
        this.inGrad = inGrad;
        pass.workers().forEach(pass.batch(), (long) inputShape().size(), backwardTask);
    }

    private void backwardExamples(int from, int to, int worker) {
        int inSize = inputShape().size(), outSize = outputShape().size();
        Arrays.fill(inGrad, from * inSize, to * inSize, 0f);
        for (int o = from * outSize; o < to * outSize; o++) {
            inGrad[argmax[o]] += outGrad[o];
        }
    }
}
