package org.nnlab.layer;

import static org.nnlab.layer.GradientCheck.awayFromZero;
import static org.nnlab.layer.GradientCheck.checkLayer;
import static org.nnlab.layer.GradientCheck.distinct;

import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.nnlab.tensor.SeededRandom;
import org.nnlab.tensor.Shape;

/**
 * Every layer's backward against finite differences, over generated shapes, strides and paddings
 * (including strides that do not divide the input), with 1 and 2 threads. One line per layer.
 */
class LayerGradientTest {

    @Property(tries = 40)
    void conv2d(@ForAll @IntRange(min = 1, max = 3) int batch, @ForAll @IntRange(min = 1, max = 9) int height,
                @ForAll @IntRange(min = 1, max = 9) int width, @ForAll @IntRange(min = 1, max = 3) int channels,
                @ForAll @IntRange(min = 1, max = 4) int kernel, @ForAll @IntRange(min = 1, max = 3) int filters,
                @ForAll @IntRange(min = 1, max = 3) int stride, @ForAll @IntRange(min = 0, max = 3) int pad,
                @ForAll @IntRange(min = 1, max = 2) int threads, @ForAll long seed) {
        Assume.that(pad < kernel && height + 2 * pad >= kernel && width + 2 * pad >= kernel);
        Shape in = new Shape(height, width, channels);
        Conv2d conv = new Conv2d(in, kernel, filters, stride, pad);
        conv.initialize(new SeededRandom(seed));
        conv.fillBiases(0.3f);
        checkLayer(conv, batch, awayFromZero(batch * in.size(), seed), threads, true, null, seed);
    }

    @Property(tries = 40)
    void maxPool2d(@ForAll @IntRange(min = 1, max = 3) int batch, @ForAll @IntRange(min = 1, max = 9) int height,
                   @ForAll @IntRange(min = 1, max = 9) int width, @ForAll @IntRange(min = 1, max = 3) int channels,
                   @ForAll @IntRange(min = 1, max = 4) int window, @ForAll @IntRange(min = 1, max = 4) int stride,
                   @ForAll @IntRange(min = 1, max = 2) int threads, @ForAll long seed) {
        Assume.that(height >= window && width >= window);
        Shape in = new Shape(height, width, channels);
        checkLayer(new MaxPool2d(in, window, stride), batch, distinct(batch * in.size(), seed), threads, true,
                null, seed);
    }

    @Property(tries = 30)
    void dense(@ForAll @IntRange(min = 1, max = 6) int batch, @ForAll @IntRange(min = 1, max = 5) int height,
               @ForAll @IntRange(min = 1, max = 5) int channels, @ForAll @IntRange(min = 1, max = 40) int units,
               @ForAll @IntRange(min = 1, max = 2) int threads, @ForAll long seed) {
        Shape in = new Shape(height, 2, channels);
        Dense dense = new Dense(in, units);
        dense.initialize(new SeededRandom(seed));
        dense.fillBiases(0.2f);
        checkLayer(dense, batch, awayFromZero(batch * in.size(), seed), threads, true, null, seed);
    }

    @Property(tries = 20)
    void relu(@ForAll @IntRange(min = 1, max = 3) int batch, @ForAll @IntRange(min = 1, max = 40) int length,
              @ForAll long seed) {
        checkLayer(new Relu(Shape.vector(length)), batch, awayFromZero(batch * length, seed), 1, true, null, seed);
    }

    @Property(tries = 20)
    void leakyRelu(@ForAll @IntRange(min = 1, max = 3) int batch, @ForAll @IntRange(min = 1, max = 40) int length,
                   @ForAll long seed) {
        checkLayer(new LeakyRelu(Shape.vector(length), 0.01f), batch, awayFromZero(batch * length, seed), 1, true, null, seed);
    }

    @Property(tries = 20)
    void tanh(@ForAll @IntRange(min = 1, max = 3) int batch, @ForAll @IntRange(min = 1, max = 40) int length,
              @ForAll long seed) {
        checkLayer(new Tanh(Shape.vector(length)), batch, awayFromZero(batch * length, seed), 1, true, null, seed);
    }

    @Property(tries = 20)
    void sigmoid(@ForAll @IntRange(min = 1, max = 3) int batch, @ForAll @IntRange(min = 1, max = 40) int length,
                 @ForAll long seed) {
        checkLayer(new Sigmoid(Shape.vector(length)), batch, awayFromZero(batch * length, seed), 1, true, null,
                seed);
    }

    @Property(tries = 20)
    void dropout(@ForAll @IntRange(min = 1, max = 3) int batch, @ForAll @IntRange(min = 4, max = 40) int length,
                 @ForAll long seed) {
        Dropout dropout = new Dropout(Shape.vector(length), 0.3f, new SeededRandom(seed));
        long state = dropout.random().state();
        checkLayer(dropout, batch, awayFromZero(batch * length, seed), 1, true,
                () -> dropout.random().setState(state), seed);
    }

    @Property(tries = 20)
    void softmax(@ForAll @IntRange(min = 1, max = 3) int batch, @ForAll @IntRange(min = 2, max = 12) int classes,
                 @ForAll long seed) {
        checkLayer(new Softmax(Shape.vector(classes)), batch, awayFromZero(batch * classes, seed), 1, true, null,
                seed);
    }
}
