package org.nnlab.net;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import org.nnlab.layer.Conv2d;
import org.nnlab.layer.Dense;
import org.nnlab.layer.Dropout;
import org.nnlab.layer.Layer;
import org.nnlab.layer.MaxPool2d;
import org.nnlab.layer.Relu;
import org.nnlab.layer.Sigmoid;
import org.nnlab.layer.Softmax;
import org.nnlab.layer.Tanh;
import org.nnlab.tensor.SeededRandom;
import org.nnlab.tensor.Shape;

/**
 * Builds a {@link Net} layer by layer; each layer's input shape is the previous layer's output, so only
 * the input shape is ever given. Nothing is checked until {@link #build()}, which constructs the layers
 * in order and reports the first impossible one by index, type and shapes.
 *
 * <pre>{@code
 * Net net = Net.builder(24, 24, 1)
 *         .conv(5, 8).relu().maxPool(2)
 *         .conv(5, 16).relu().maxPool(3)
 *         .softmax(10)
 *         .seed(42)
 *         .build();
 * }</pre>
 */
public final class NetBuilder {
    private record Spec(String type, BiFunction<Shape, Long, Layer> make) {
    }

    private final int height, width, channels;
    private final List<Spec> specs = new ArrayList<>();
    private long seed = 1;

    NetBuilder(int height, int width, int channels) {
        this.height = height;
        this.width = width;
        this.channels = channels;
    }

    /**
     * Convolution with "same" padding {@code (kernel-1)/2} and stride 1 (size kept for odd kernels).
     *
     * @param kernel kernel height and width
     * @param filters number of kernels, the output's channels
     * @return this builder
     */
    public NetBuilder conv(int kernel, int filters) {
        return conv(kernel, filters, 1, (kernel - 1) / 2);
    }

    /**
     * Convolution with explicit stride and zero padding; output size
     * {@code floor((in + 2*pad - kernel) / stride) + 1} (see {@link Conv2d}).
     *
     * @param kernel kernel height and width
     * @param filters number of kernels, the output's channels
     * @param stride step between kernel positions
     * @param pad zero padding on every side, {@code 0 <= pad < kernel}
     * @return this builder
     */
    public NetBuilder conv(int kernel, int filters, int stride, int pad) {
        return add("Conv2d", (in, s) -> new Conv2d(in, kernel, filters, stride, pad));
    }

    /**
     * Max pooling with stride = window.
     *
     * @param window window height and width
     * @return this builder
     */
    public NetBuilder maxPool(int window) {
        return maxPool(window, window);
    }

    /**
     * Max pooling; output size {@code floor((in - window) / stride) + 1} (see {@link MaxPool2d}).
     *
     * @param window window height and width
     * @param stride step between windows
     * @return this builder
     */
    public NetBuilder maxPool(int window, int stride) {
        return add("MaxPool2d", (in, s) -> new MaxPool2d(in, window, stride));
    }

    /**
     * {@code max(0, x)}, element by element.
     *
     * @return this builder
     */
    public NetBuilder relu() {
        return add("Relu", (in, s) -> new Relu(in));
    }

    /**
     * Hyperbolic tangent, element by element.
     *
     * @return this builder
     */
    public NetBuilder tanh() {
        return add("Tanh", (in, s) -> new Tanh(in));
    }

    /**
     * Logistic function, element by element.
     *
     * @return this builder
     */
    public NetBuilder sigmoid() {
        return add("Sigmoid", (in, s) -> new Sigmoid(in));
    }

    /**
     * Inverted dropout, active in training only. Its mask stream derives from the net seed and position.
     *
     * @param rate probability of zeroing a value, in {@code [0, 1)}
     * @return this builder
     */
    public NetBuilder dropout(double rate) {
        int index = specs.size() + 1;
        return add("Dropout",
                (in, s) -> new Dropout(in, (float) rate, SeededRandom.forPurpose(s, "dropout-" + index)));
    }

    /**
     * Fully connected layer.
     *
     * @param units number of outputs
     * @return this builder
     */
    public NetBuilder dense(int units) {
        return add("Dense", (in, s) -> new Dense(in, units));
    }

    /**
     * {@code dense(classes)} followed by a {@link Softmax}, as ConvNetJS desugars {@code softmax}.
     *
     * @param classes number of classes
     * @return this builder
     */
    public NetBuilder softmax(int classes) {
        dense(classes);
        return add("Softmax", (in, s) -> new Softmax(in));
    }

    /**
     * Adds a layer of your own, made from its input shape.
     *
     * @param type the layer's name in error messages
     * @param make builds the layer for the input shape it will get
     * @return this builder
     */
    public NetBuilder layer(String type, java.util.function.Function<Shape, Layer> make) {
        return add(type, (in, s) -> make.apply(in));
    }

    /**
     * Seed for weight initialisation and dropout masks (default 1).
     *
     * @param seed any value
     * @return this builder
     */
    public NetBuilder seed(long seed) {
        this.seed = seed;
        return this;
    }

    private NetBuilder add(String type, BiFunction<Shape, Long, Layer> make) {
        specs.add(new Spec(type, make));
        return this;
    }

    /**
     * Constructs and initialises the net.
     *
     * @throws ShapeException naming the layer index (input is 0, layers count from 1), type and shapes
     *                        if any layer's settings cannot work on its input
     * @return the net, initialised from the seed, using one thread
     */
    public Net build() {
        Shape shape;
        try {
            shape = new Shape(height, width, channels);
        } catch (IllegalArgumentException e) {
            throw new ShapeException("input: " + e.getMessage(), e);
        }
        if (specs.isEmpty()) {
            throw new ShapeException("the net has no layers: add at least one after the input " + shape);
        }
        List<Layer> layers = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            Spec spec = specs.get(i);
            if (!layers.isEmpty() && layers.get(layers.size() - 1) instanceof Softmax) {
                throw new ShapeException("layer " + (i + 1) + " (" + spec.type() + "): nothing may follow the softmax"
                        + " output layer " + i);
            }
            Layer layer;
            try {
                layer = spec.make().apply(shape, seed);
            } catch (IllegalArgumentException e) {
                throw new ShapeException("layer " + (i + 1) + " (" + spec.type() + "): " + e.getMessage(), e);
            }
            layers.add(layer);
            shape = layer.outputShape();
        }
        return new Net(new Shape(height, width, channels), layers, seed);
    }
}
