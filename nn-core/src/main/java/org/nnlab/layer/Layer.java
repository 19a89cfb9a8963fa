package org.nnlab.layer;

import java.util.List;
import java.util.random.RandomGenerator;
import org.nnlab.tensor.Shape;

/**
 * One stage of a network. Lifecycle: constructed for a known input shape (the constructor validates
 * its settings against it and computes {@link #outputShape()}), then {@link #initialize} once,
 * {@link #reserve} whenever the batch capacity or thread count grows, then any number of
 * {@link #forward} / {@link #backward} calls.
 *
 * <p>Data is a batch of examples back to back in one {@code float[]}, each in {@link Shape}'s CHW
 * layout. A layer must never allocate in {@code forward} or {@code backward}: scratch space is made in
 * {@code reserve}. When it splits work over {@link Pass#workers()}, each output value must be written
 * by exactly one part, computed in a fixed order, so results do not depend on the thread count.
 *
 * <p>To add a layer: subclass this, and add one line to the gradient-check test.
 */
public abstract class Layer {
    private final Shape inputShape;
    private final Shape outputShape;

    /**
     * @param inputShape shape of one input example
     * @param outputShape shape of one output example, computed by the subclass from its settings
     */
    protected Layer(Shape inputShape, Shape outputShape) {
        this.inputShape = inputShape;
        this.outputShape = outputShape;
    }

    /** @return the shape of one input example */
    public final Shape inputShape() {
        return inputShape;
    }

    /** @return the shape of one output example */
    public final Shape outputShape() {
        return outputShape;
    }

    /** @return the layer's type as shown in summaries and error messages; the class name by default */
    public String type() {
        return getClass().getSimpleName();
    }

    /** @return its settings in a few words, e.g. "5x5, stride 1, pad 2"; empty by default */
    public String settings() {
        return "";
    }

    /** @return the trainable parameters, in a fixed order; empty by default */
    public List<Parameter> parameters() {
        return List.of();
    }

    /**
     * Sets the parameters' initial values; does nothing by default.
     *
     * @param random the only source of randomness, so a seed fixes the initial weights
     */
    public void initialize(RandomGenerator random) {
    }

    /**
     * Makes room for batches of up to {@code batchCapacity} examples and {@code threads} workers: the
     * place to allocate scratch arrays. Does nothing by default.
     *
     * @param batchCapacity the largest batch that will be passed
     * @param threads the number of workers that may run parts of a pass at once
     */
    public void reserve(int batchCapacity, int threads) {
    }

    /**
     * Computes {@code out} (batch x outputShape) from {@code in} (batch x inputShape).
     *
     * @param pass batch size, training or inference, and the workers
     * @param in {@code pass.batch()} input examples; not modified
     * @param out overwritten with {@code pass.batch()} output examples
     */
    public abstract void forward(Pass pass, float[] in, float[] out);

    /**
     * Back-propagates {@code outGrad}, the loss gradient with respect to {@code out}: adds this batch's
     * gradient to each parameter's {@link Parameter#grad()} and, unless {@code inGrad} is null,
     * overwrites {@code inGrad} with the gradient with respect to {@code in}. {@code in} and {@code out}
     * are the arrays of the matching forward call.
     *
     * @param pass the same batch size and mode as the forward call
     * @param in the forward call's input; not modified
     * @param out the forward call's output; not modified
     * @param outGrad gradient of the loss with respect to {@code out}; not modified
     * @param inGrad overwritten with the gradient with respect to {@code in}, or null if not needed
     */
    public abstract void backward(Pass pass, float[] in, float[] out, float[] outGrad, float[] inGrad);
}
