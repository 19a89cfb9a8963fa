package org.nnlab.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.nnlab.tensor.SeededRandom;
import org.nnlab.tensor.Shape;
import org.nnlab.tensor.Workers;

/**
 * Forward passes against plain reference loops, and {@code outputShape()} against what forward really
 * writes: exactly batch x outputShape values, nothing past them.
 */
class ForwardReferenceTest {

    @Test
    void conv2dKnownValues() {
        // 3x3 input 1..9, one 2x2 kernel [[1,0],[0,-1]], bias 0.5, stride 1, no padding:
        // out(y,x) = in(y,x) - in(y+1,x+1) + 0.5 = -4 + 0.5 everywhere
        Conv2d conv = new Conv2d(new Shape(3, 3, 1), 2, 1, 1, 0);
        System.arraycopy(new float[] {1, 0, 0, -1}, 0, conv.parameters().get(0).value(), 0, 4);
        conv.fillBiases(0.5f);
        float[] out = forward(conv, 1, new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, 1);
        assertArrayEquals(new float[] {-3.5f, -3.5f, -3.5f, -3.5f}, out);
        // with padding 1 the corner sees only in(0,0) under the -1 tap: 0 - 1 + 0.5
        Conv2d padded = new Conv2d(new Shape(3, 3, 1), 2, 1, 1, 1);
        System.arraycopy(new float[] {1, 0, 0, -1}, 0, padded.parameters().get(0).value(), 0, 4);
        assertEquals(new Shape(4, 4, 1), padded.outputShape());
        assertEquals(-1f, forward(padded, 1, new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, 1)[0]);
    }

    @Test
    void maxPoolKnownValues() {
        MaxPool2d pool = new MaxPool2d(new Shape(4, 4, 1), 2, 2);
        float[] in = {1, 5, 2, 0, 3, 4, 8, 1, 0, 0, 9, 9, 7, 0, 9, 2};
        assertArrayEquals(new float[] {5, 8, 7, 9}, forward(pool, 1, in, 1));
    }

    @Property(tries = 60)
    void conv2dMatchesDirectConvolution(@ForAll @IntRange(min = 1, max = 3) int batch,
                                        @ForAll @IntRange(min = 1, max = 10) int height,
                                        @ForAll @IntRange(min = 1, max = 10) int width,
                                        @ForAll @IntRange(min = 1, max = 4) int channels,
                                        @ForAll @IntRange(min = 1, max = 5) int kernel,
                                        @ForAll @IntRange(min = 1, max = 5) int filters,
                                        @ForAll @IntRange(min = 1, max = 3) int stride,
                                        @ForAll @IntRange(min = 0, max = 4) int pad,
                                        @ForAll @IntRange(min = 1, max = 2) int threads, @ForAll long seed) {
        Assume.that(pad < kernel && height + 2 * pad >= kernel && width + 2 * pad >= kernel);
        Shape inShape = new Shape(height, width, channels);
        Conv2d conv = new Conv2d(inShape, kernel, filters, stride, pad);
        SeededRandom random = new SeededRandom(seed);
        conv.initialize(random);
        conv.fillBiases(0.25f);
        float[] in = values(batch * inShape.size(), random);
        float[] out = forward(conv, batch, in, threads);
        Shape o = conv.outputShape();
        assertEquals((height + 2 * pad - kernel) / stride + 1, o.height());
        assertEquals((width + 2 * pad - kernel) / stride + 1, o.width());
        float[] w = conv.parameters().get(0).value();
        for (int n = 0; n < batch; n++) {
            for (int f = 0; f < filters; f++) {
                for (int oy = 0; oy < o.height(); oy++) {
                    for (int ox = 0; ox < o.width(); ox++) {
                        double s = 0.25;
                        for (int c = 0; c < channels; c++) {
                            for (int ky = 0; ky < kernel; ky++) {
                                for (int kx = 0; kx < kernel; kx++) {
                                    int iy = oy * stride + ky - pad, ix = ox * stride + kx - pad;
                                    if (iy >= 0 && iy < height && ix >= 0 && ix < width) {
                                        s += (double) w[((f * channels + c) * kernel + ky) * kernel + kx]
                                                * in[n * inShape.size() + (c * height + iy) * width + ix];
                                    }
                                }
                            }
                        }
                        float got = out[n * o.size() + (f * o.height() + oy) * o.width() + ox];
                        assertEquals(s, got, 1e-4 * (1 + Math.abs(s)));
                    }
                }
            }
        }
    }

    @Property(tries = 60)
    void maxPoolMatchesDirectMax(@ForAll @IntRange(min = 1, max = 3) int batch,
                                 @ForAll @IntRange(min = 1, max = 10) int height,
                                 @ForAll @IntRange(min = 1, max = 10) int width,
                                 @ForAll @IntRange(min = 1, max = 3) int channels,
                                 @ForAll @IntRange(min = 1, max = 4) int window,
                                 @ForAll @IntRange(min = 1, max = 4) int stride, @ForAll long seed) {
        Assume.that(height >= window && width >= window);
        Shape inShape = new Shape(height, width, channels);
        MaxPool2d pool = new MaxPool2d(inShape, window, stride);
        float[] in = values(batch * inShape.size(), new SeededRandom(seed));
        float[] out = forward(pool, batch, in, 1);
        Shape o = pool.outputShape();
        for (int n = 0; n < batch; n++) {
            for (int c = 0; c < channels; c++) {
                for (int oy = 0; oy < o.height(); oy++) {
                    for (int ox = 0; ox < o.width(); ox++) {
                        float max = Float.NEGATIVE_INFINITY;
                        for (int ky = 0; ky < window; ky++) {
                            for (int kx = 0; kx < window; kx++) {
                                max = Math.max(max, in[n * inShape.size()
                                        + (c * height + oy * stride + ky) * width + ox * stride + kx]);
                            }
                        }
                        assertEquals(max, out[n * o.size() + (c * o.height() + oy) * o.width() + ox]);
                    }
                }
            }
        }
    }

    /**
     * Ties everywhere (values drawn from five, signed zeros among them): the output is the first
     * maximum in scan order, bit for bit (so {@code -0f} before {@code +0f} stays {@code -0f}), and the
     * backward pass routes each window's gradient to exactly that position.
     */
    @Property(tries = 80)
    void maxPoolPicksTheFirstMaximumAndRoutesTheGradientThere(@ForAll @IntRange(min = 1, max = 2) int batch,
                                                               @ForAll @IntRange(min = 1, max = 9) int size,
                                                               @ForAll @IntRange(min = 1, max = 2) int channels,
                                                               @ForAll @IntRange(min = 1, max = 4) int window,
                                                               @ForAll @IntRange(min = 1, max = 3) int stride,
                                                               @ForAll long seed) {
        Assume.that(size >= window);
        Shape inShape = new Shape(size, size + 1, channels);
        MaxPool2d pool = new MaxPool2d(inShape, window, stride);
        float[] choices = {-1f, -0f, 0f, 0.5f, 1f};
        SeededRandom random = new SeededRandom(seed);
        float[] in = new float[batch * inShape.size()];
        for (int i = 0; i < in.length; i++) {
            in[i] = choices[random.nextInt(choices.length)];
        }
        int[] first = firstMaxima(in, batch, inShape, pool);
        float[] inference = forward(pool, batch, in, 1);
        float[] out = new float[inference.length];
        float[] outGrad = new float[out.length];
        float[] expectedGrad = new float[in.length];
        for (int i = 0; i < out.length; i++) {
            outGrad[i] = i + 1;
            expectedGrad[first[i]] += outGrad[i];
        }
        float[] inGrad = new float[in.length];
        try (Workers workers = new Workers(1)) {
            Pass training = new Pass(workers).set(batch, true);
            pool.forward(training, in, out);
            for (int i = 0; i < out.length; i++) {
                assertEquals(Float.floatToRawIntBits(in[first[i]]), Float.floatToRawIntBits(out[i]), "output " + i);
                assertTrue(inference[i] == out[i], "inference output " + i); // -0f == 0f allowed
            }
            pool.backward(training, in, out, outGrad, inGrad);
            assertArrayEquals(expectedGrad, inGrad);
            forward(pool, batch, in, 1); // an inference pass keeps no argmax, so backward must refuse
            assertThrows(IllegalStateException.class,
                    () -> pool.backward(training, in, out, outGrad, new float[in.length]));
        }
    }

    /** Per output of {@code pool}, the input index of its window's first maximum in scan order. */
    private static int[] firstMaxima(float[] in, int batch, Shape inShape, MaxPool2d pool) {
        Shape o = pool.outputShape();
        int window = pool.window(), stride = pool.stride();
        int[] first = new int[batch * o.size()];
        for (int n = 0, i = 0; n < batch; n++) {
            for (int c = 0; c < inShape.channels(); c++) {
                for (int oy = 0; oy < o.height(); oy++) {
                    for (int ox = 0; ox < o.width(); ox++, i++) {
                        int corner = n * inShape.size() + (c * inShape.height() + oy * stride) * inShape.width()
                                + ox * stride;
                        first[i] = corner;
                        for (int ky = 0; ky < window; ky++) {
                            for (int kx = 0; kx < window; kx++) {
                                int at = corner + ky * inShape.width() + kx;
                                first[i] = in[at] > in[first[i]] ? at : first[i];
                            }
                        }
                    }
                }
            }
        }
        return first;
    }

    @Property(tries = 40)
    void everyLayerWritesExactlyItsOutputShape(@ForAll @IntRange(min = 0, max = 7) int kind,
                                               @ForAll @IntRange(min = 1, max = 3) int batch,
                                               @ForAll @IntRange(min = 2, max = 9) int size,
                                               @ForAll @IntRange(min = 1, max = 3) int channels, @ForAll long seed) {
        Shape in = new Shape(size, size + 1, channels);
        Layer layer = switch (kind) {
            case 0 -> new Conv2d(in, 2, 3, 2, 1);
            case 1 -> new MaxPool2d(in, 2, 1);
            case 2 -> new Relu(in);
            case 3 -> new Tanh(in);
            case 4 -> new Sigmoid(in);
            case 5 -> new Dropout(in, 0.5f, new SeededRandom(seed));
            case 6 -> new Dense(in, 7);
            default -> new Softmax(in);
        };
        layer.initialize(new SeededRandom(seed));
        layer.reserve(batch, 1);
        int outSize = batch * layer.outputShape().size();
        float[] out = new float[outSize + 16];
        java.util.Arrays.fill(out, Float.NaN);
        try (Workers workers = new Workers(1)) {
            layer.forward(new Pass(workers).set(batch, true), values(batch * in.size(), new SeededRandom(seed)), out);
        }
        for (int i = 0; i < outSize; i++) {
            assertTrue(!Float.isNaN(out[i]), layer.type() + " left output " + i + " of " + outSize + " unwritten");
        }
        for (int i = outSize; i < out.length; i++) {
            assertTrue(Float.isNaN(out[i]), layer.type() + " wrote past its output shape at " + i);
        }
    }

    static float[] forward(Layer layer, int batch, float[] in, int threads) {
        layer.reserve(batch, threads);
        float[] out = new float[batch * layer.outputShape().size()];
        try (Workers workers = new Workers(threads)) {
            layer.forward(new Pass(workers).set(batch, false), in, out);
        }
        return out;
    }

    private static float[] values(int n, SeededRandom random) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (random.nextDouble() * 2 - 1);
        }
        return x;
    }
}
