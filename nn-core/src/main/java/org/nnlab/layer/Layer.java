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

    protected Layer(Shape inputShape, Shape outputShape) {
        this.inputShape = inputShape;
        this.outputShape = outputShape;
    }

    public final Shape inputShape() {
        return inputShape;
    }

    public final Shape outputShape() {
        return outputShape;
    }

    /** The layer's type as shown in summaries and error messages. */
    public String type() {
        return getClass().getSimpleName();
    }

    /** Its settings in a few words, e.g. "5x5, stride 1, pad 2". */
    public String settings() {
        return "";
    }

    /** Trainable parameters, in a fixed order. */
    public List<Parameter> parameters() {
        return List.of();
    }

    /** Sets the parameters' initial values from {@code random}. */
    public void initialize(RandomGenerator random) {
    }

    /** Makes room for batches of up to {@code batchCapacity} examples and {@code threads} workers. */
    public void reserve(int batchCapacity, int threads) {
    }

    /**
     * Computes {@code out} (batch x outputShape) from {@code in} (batch x inputShape).
     */
    public abstract void forward(Pass pass, float[] in, float[] out);

    /**
     * Back-propagates {@code outGrad}, the loss gradient with respect to {@code out}: adds this batch's
     * gradient to each parameter's {@link Parameter#grad()} and, unless {@code inGrad} is null,
     * overwrites {@code inGrad} with the gradient with respect to {@code in}. {@code in} and {@code out}
     * are the arrays of the matching forward call.
     */
    public abstract void backward(Pass pass, float[] in, float[] out, float[] outGrad, float[] inGrad);
}
