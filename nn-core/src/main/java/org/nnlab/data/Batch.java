package org.nnlab.data;

import java.util.random.RandomGenerator;
import org.nnlab.tensor.Shape;
import org.nnlab.tensor.Tensor;

/** A reusable mini-batch buffer: up to {@code capacity} examples and their labels. */
public final class Batch {
    private final Shape shape;
    private final float[] inputs;
    private final int[] labels;
    private int size;

    public Batch(Shape shape, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("batch capacity must be >= 1, got " + capacity);
        }
        this.shape = shape;
        this.inputs = new float[Math.multiplyExact(capacity, shape.size())];
        this.labels = new int[capacity];
    }

    /**
     * Fills the batch with {@code dataset} examples {@code order[from .. from+count)}.
     *
     * @param augmentation passed to {@link Dataset#copyExample}; null for the deterministic view
     */
    public Batch fill(Dataset dataset, int[] order, int from, int count, RandomGenerator augmentation) {
        if (count < 1 || count > labels.length) {
            throw new IllegalArgumentException("batch of " + count + " does not fit capacity " + labels.length);
        }
        for (int i = 0; i < count; i++) {
            int index = order[from + i];
            dataset.copyExample(index, inputs, i * shape.size(), augmentation);
            labels[i] = dataset.label(index);
        }
        size = count;
        return this;
    }

    public Shape shape() {
        return shape;
    }

    public int size() {
        return size;
    }

    public int capacity() {
        return labels.length;
    }

    /** Inputs, {@code size() x shape()}; longer than needed when the batch is not full. */
    public float[] inputs() {
        return inputs;
    }

    public int[] labels() {
        return labels;
    }

    /** The filled part as a tensor view. */
    public Tensor tensor() {
        return new Tensor(shape, size, inputs);
    }
}
